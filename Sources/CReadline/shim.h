#pragma once
#include <stdio.h>            // readline.h uses FILE without including it
#include <readline/readline.h>
#include <readline/history.h>
