import Foundation
import Testing
@testable import SmolTokenizer

/// One render of `reference/chat_template_cases.json` (transformers' `apply_chat_template`).
struct ChatTemplateCase: Sendable, CustomTestStringConvertible {
    let name: String
    let messages: [TemplateValue]
    let variables: [String: TemplateValue]
    let addGenerationPrompt: Bool
    let rendered: String
    let inputIds: [Int]

    var testDescription: String { name }

    static let fixturePath = "reference/chat_template_cases.json"

    /// Read with the order-preserving parser: tool descriptions print in their JSON key order.
    static func loadAll() throws -> [ChatTemplateCase] {
        let root = try TemplateValue(json: Fixtures.text(fixturePath))
        return try (root["cases"]?.array ?? []).map { entry in
            let kwargs = entry["template_kwargs"]?.dictionary ?? TemplateDictionary()
            return ChatTemplateCase(
                name: try #require(entry["name"]?.string),
                messages: try #require(entry["messages"]?.array),
                variables: Dictionary(uniqueKeysWithValues: kwargs.pairs.map { ($0.key, $0.value) }),
                addGenerationPrompt: entry["add_generation_prompt"] == .bool(true),
                rendered: try #require(entry["rendered"]?.string),
                inputIds: try #require(entry["input_ids"]?.array).compactMap(\.int))
        }
    }

    static let all: [ChatTemplateCase] = (try? loadAll()) ?? []

    /// The references pin `strftime_now("%d %B %Y")` to "01 January 2026" (noon, local time).
    static let pinnedDate: Date = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .current
        return calendar.date(from: DateComponents(year: 2026, month: 1, day: 1, hour: 12)) ?? Date(timeIntervalSince1970: 0)
    }()
}

@Suite struct ChatTemplateCasesTests {
    let tokenizer: Tokenizer
    let template: ChatTemplate

    init() throws {
        tokenizer = try Fixtures.hfTokenizer()
        template = try ChatTemplate(try #require(tokenizer.chatTemplate))
    }

    @Test func fixtureHasThirteenRenders() throws {
        #expect(try ChatTemplateCase.loadAll().count == 13)
    }

    @Test(arguments: ChatTemplateCase.all)
    func renderIsByteIdentical(_ reference: ChatTemplateCase) throws {
        let rendered = try template.render(messageValues: reference.messages, addGenerationPrompt: reference.addGenerationPrompt,
                                           variables: reference.variables, now: ChatTemplateCase.pinnedDate)
        #expect(rendered == reference.rendered)
    }

    @Test(arguments: ChatTemplateCase.all)
    func renderTokenizesToTheReferenceIds(_ reference: ChatTemplateCase) throws {
        let rendered = try template.render(messageValues: reference.messages, addGenerationPrompt: reference.addGenerationPrompt,
                                           variables: reference.variables, now: ChatTemplateCase.pinnedDate)
        #expect(tokenizer.encode(rendered, addSpecialTokens: false) == reference.inputIds)
    }

    @Test func ggufCarriesTheSameTemplate() throws {
        #expect(try Fixtures.ggufTokenizer().chatTemplate == tokenizer.chatTemplate)
    }

    @Test func chatMessageRendersLikeItsDictionary() throws {
        let reference = try #require(ChatTemplateCase.all.first { $0.name == "multi_turn_no_think" })
        let messages = reference.messages.map { ChatMessage(role: $0["role"]?.string ?? "", content: $0["content"]?.string) }
        let rendered = try template.render(messages: messages, addGenerationPrompt: reference.addGenerationPrompt,
                                           variables: reference.variables, now: ChatTemplateCase.pinnedDate)
        #expect(rendered == reference.rendered)
    }
}
