import Foundation
import Testing
@testable import SmolTokenizer

/// The Jinja subset against outputs of jinja2 3.1 configured as transformers renders chat
/// templates (`trim_blocks`, `lstrip_blocks`, sandboxed, `loopcontrols`).
@Suite struct TemplateEngineTests {
    private func render(_ source: String, _ variables: [String: TemplateValue] = [:],
                        messages: [TemplateValue] = []) throws -> String {
        try ChatTemplate(source).render(messageValues: messages, addGenerationPrompt: false, variables: variables)
    }

    // MARK: - Whitespace

    @Test func blockTagsTrimTheirNewlineAndIndentation() throws {
        let source = "<ul>\n    {% for item in items %}\n    <li>{{ item }}</li>\n    {% endfor %}\n</ul>\n"
        #expect(try render(source, ["items": ["a", "b"]]) == "<ul>\n    <li>a</li>\n    <li>b</li>\n</ul>")
    }

    @Test func dashesStripAllWhitespaceOnTheirSide() throws {
        #expect(try render("{{- '  a  ' -}}   {{ 'b' }}\n\n{%- if true %}  c{% endif -%}\n d") == "  a  b  cd")
    }

    @Test func plusDisablesTrimAndLstrip() throws {
        let source = "line1\n{% if true +%}\nkept newline{% endif %}\n{%+ if true %}  kept indent{% endif %}"
        #expect(try render(source) == "line1\n\nkept newline  kept indent")
    }

    @Test func commentsVanishWithTheirTrimming() throws {
        #expect(try render("  {# comment #}\nA {#- trimmed -#}  B\n{#+ keep +#}\nC") == "AB\n\nC")
    }

    @Test func expressionTagsDoNotTrimNewlines() throws {
        #expect(try render("{{ 'a' }}\n{{ 'b' }}\n\n{% if true %}\n{% endif %}\n\nend\n\n") == "a\nb\n\n\nend\n")
    }

    // MARK: - Scoping and loops

    @Test func namespaceCarriesAssignmentsOutOfLoops() throws {
        let source = "{% set ns = namespace(n=0) %}{% for x in [1, 2, 3] %}{% set ns.n = ns.n + x %}{% set local = x %}{% endfor %}"
            + "{{ ns.n }} {{ local is defined }}"
        #expect(try render(source) == "6 False")
    }

    @Test func setInsideALoopShadowsWithoutLeaking() throws {
        let source = "{% set x = 'outer' %}{% for i in [1] %}{% set x = 'inner' %}{{ x }}{% endfor %}{{ x }}"
        #expect(try render(source) == "innerouter")
    }

    @Test func loopVariablesDescribeThePosition() throws {
        let source = "{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }} {% endfor %}"
        #expect(try render(source) == "103TrueFalse 212FalseFalse 321FalseTrue ")
    }

    @Test func loopControlsFiltersAndElse() throws {
        let source = "{% for x in range(5) %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}"
            + "|{% for x in [] %}no{% else %}empty{% endfor %}|{% for x in [1, 2, 3, 4] if x is odd %}{{ x }}{{ loop.length }}{% endfor %}"
        #expect(try render(source) == "02|empty|1232")
    }

    // MARK: - Values, operators, filters

    @Test func stringFilterPrintsPythonReprs() throws {
        let tool: TemplateValue = ["name": "f", "description": "it's \"q\"", "parameters": ["a": 1, "b": [1.5, true, nil]]]
        #expect(try render("{{ tool | string }}", ["tool": tool])
                == #"{'name': 'f', 'description': 'it\'s "q"', 'parameters': {'a': 1, 'b': [1.5, True, None]}}"#)
    }

    @Test func tojsonMatchesPythonJSONDumps() throws {
        let value: TemplateValue = ["b": 1, "a": ["c": [1, "x"]], "é": "\n\""]
        #expect(try render("{{ v | tojson }}", ["v": value]) == #"{"b": 1, "a": {"c": [1, "x"]}, "é": "\n\""}"#)
        #expect(try render("{{ v | tojson(indent=2) }}", ["v": ["a": [1]]]) == "{\n  \"a\": [\n    1\n  ]\n}")
    }

    @Test func pythonArithmeticAndComparison() throws {
        #expect(try render("{{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 0.1 + 0.2 }} {{ 'ab' * 2 }} {{ 1 < 2 < 3 }}")
                == "3 -4 2 3.5 0.30000000000000004 abab True")
    }

    @Test func andOrReturnAnOperand() throws {
        #expect(try render("{{ a and b }} {{ a or b }} {{ c if a else d }}", ["a": 0, "b": "B", "c": "C", "d": "D"]) == "0 B D")
    }

    @Test func stringMethodsFollowPython() throws {
        let source = "{{ '  a b  '.strip() }}|{{ 'xxhixx'.strip('x') }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}"
            + "|{{ 'aaa'.replace('a', 'bb', 2) }}|{{ 'Hello'.endswith(('x', 'lo')) }}|{{ 'abcdef'[::-2] }}"
        #expect(try render(source) == "a b|hi|['a', 'b', '', 'c']|['a', 'b']|bbbba|True|fdb")
    }

    @Test func filtersOverSequences() throws {
        let users: TemplateValue = [["name": "a", "admin": true], ["name": "b", "admin": false]]
        let source = "{{ users | map(attribute='name') | join(',') }} {{ users | selectattr('admin') | map(attribute='name') | list }}"
            + " {{ [3, 1, 2] | sort }} {{ missing | default('dflt') }} {{ d | items | list }}"
        #expect(try render(source, ["users": users, "d": ["a": 1]]) == "a,b ['a'] [1, 2, 3] dflt [('a', 1)]")
    }

    @Test func undefinedValuesRenderEmptyAndTestFalse() throws {
        #expect(try render("[{{ nothing }}]{{ nothing is defined }}{{ 'x' in nothing }}{{ d.missing }}", ["d": [:]]) == "[]FalseFalse")
    }

    @Test func strftimeNowUsesTheGivenClock() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        let date = try #require(calendar.date(from: DateComponents(year: 2025, month: 7, day: 8, hour: 9)))
        let rendered = try ChatTemplate("{{ strftime_now('%d %B %Y, %A %-d %b') }}")
            .render(messages: [], addGenerationPrompt: false, now: date)
        #expect(rendered == "08 July 2025, Tuesday 8 Jul")
    }

    // MARK: - Errors

    @Test func unsupportedTagIsRefusedWithItsLine() {
        #expect(throws: TemplateError.unsupported("'{% macro %}' tag", line: 2)) {
            try ChatTemplate("hello\n{% macro greet(name) %}hi {{ name }}{% endmacro %}")
        }
    }

    @Test func unknownFilterIsRefusedWhenRendered() throws {
        let template = try ChatTemplate("a\nb\n{{ 'x' | wordwrap(3) }}")
        #expect(throws: TemplateError.unsupported("filter 'wordwrap'", line: 3)) {
            try template.render(messages: [], addGenerationPrompt: false)
        }
    }

    @Test func unclosedBlockIsASyntaxError() {
        #expect(throws: TemplateError.syntax("'{% if %}' opened here is never closed with '{% endif %}'", line: 1)) {
            try ChatTemplate("{% if x %}never closed")
        }
    }

    @Test func raiseExceptionSurfacesTheMessage() throws {
        let template = try ChatTemplate("{% if messages[0].role != 'user' %}{{ raise_exception('first message must be from the user') }}{% endif %}")
        #expect(throws: TemplateError.raised("first message must be from the user", line: 1)) {
            try template.render(messages: [ChatMessage(role: "assistant", content: "hi")], addGenerationPrompt: false)
        }
    }

    @Test func attributeOfAnUndefinedValueIsAnError() throws {
        let template = try ChatTemplate("{{ messages[0].role }}")
        #expect(throws: TemplateError.self) { try template.render(messages: [], addGenerationPrompt: false) }
    }
}
