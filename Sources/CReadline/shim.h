#pragma once
#include <stdio.h>            // readline.h uses FILE without including it
#include <readline/readline.h>
#include <readline/history.h>

// Accessors for readline's global variables: Swift 6 rejects direct use of mutable C globals.
static inline void smol_rl_set_attempted_completion(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void smol_rl_set_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void smol_rl_set_append_character(int c) { rl_completion_append_character = c; }
static inline void smol_rl_set_word_break_characters(const char *s) { rl_completer_word_break_characters = s; }
static inline void smol_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void smol_rl_set_readline_name(const char *s) { rl_readline_name = s; }
static inline const char *smol_rl_line_buffer(void) { return rl_line_buffer; }
static inline int smol_history_length(void) { return history_length; }
