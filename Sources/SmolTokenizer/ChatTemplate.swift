import Foundation

/// One chat message as a template sees it: `role`, `content`, and any other fields (tool calls,
/// names) the template reads.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    /// The text; nil renders as Python `None` (assistant turns that only call tools).
    public var content: String?
    /// Further keys of the message dictionary, after `role` and `content`, in this order.
    public var fields: TemplateDictionary

    public init(role: String, content: String?, fields: TemplateDictionary = TemplateDictionary()) {
        self.role = role
        self.content = content
        self.fields = fields
    }

    /// The message as the dictionary templates index (`message['role']`, `message.content`).
    public var templateValue: TemplateValue {
        var dictionary = TemplateDictionary()
        dictionary["role"] = .string(role)
        dictionary["content"] = content.map(TemplateValue.string) ?? TemplateValue.none
        for (key, value) in fields.pairs { dictionary[key] = value }
        return .dictionary(dictionary)
    }
}

/// A model's chat template (Jinja source from `tokenizer_config.json` or GGUF
/// `tokenizer.chat_template`), parsed once and rendered the way transformers'
/// `apply_chat_template` does.
///
/// ```swift
/// let template = try ChatTemplate(tokenizer.chatTemplate!)
/// let prompt = try template.render(messages: [ChatMessage(role: "user", content: "Hi")],
///                                  addGenerationPrompt: true,
///                                  variables: ["enable_thinking": false])
/// let ids = tokenizer.encode(prompt, addSpecialTokens: false)
/// ```
///
/// Parsing fails with a ``TemplateError`` naming the line of any construct this Jinja subset does
/// not implement, so a template is either rendered exactly or refused.
public struct ChatTemplate: Sendable {
    /// The template text as given.
    public let source: String
    private let nodes: [TemplateNode]

    public init(_ source: String) throws(TemplateError) {
        self.source = source
        nodes = try TemplateParser.parse(try TemplateLexer.tokenize(source))
    }

    /// Renders a conversation.
    /// - Parameters:
    ///   - messages: the conversation so far.
    ///   - addGenerationPrompt: end with the header of an assistant turn, for generation.
    ///   - variables: further template variables (`enable_thinking`, `xml_tools`, `tools`, …);
    ///     they cannot override `messages` or `add_generation_prompt`.
    ///   - now: the clock behind `strftime_now`, local time zone (SmolLM3 prints today's date).
    public func render(messages: [ChatMessage], addGenerationPrompt: Bool,
                       variables: [String: TemplateValue] = [:], now: Date = Date()) throws(TemplateError) -> String {
        try render(messageValues: messages.map(\.templateValue), addGenerationPrompt: addGenerationPrompt,
                   variables: variables, now: now)
    }

    /// Renders messages given as arbitrary dictionaries (for example parsed from JSON).
    public func render(messageValues: [TemplateValue], addGenerationPrompt: Bool,
                       variables: [String: TemplateValue] = [:], now: Date = Date()) throws(TemplateError) -> String {
        var context = variables.mapValues(Value.init)
        context["messages"] = .array(messageValues.map(Value.init))
        context["add_generation_prompt"] = .bool(addGenerationPrompt)
        var evaluator = TemplateEvaluator(context: context, now: now)
        return try evaluator.render(nodes)
    }
}
