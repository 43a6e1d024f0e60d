"""Sending instructor's tool schema to llama.cpp as a JSON grammar (its servers and in-process)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def schema_in_grammar(create: Callable[..., Any]) -> Callable[..., Any]:
    """A chat-completion function that sends instructor's tool as llama.cpp's JSON grammar.

    In TOOLS mode the chat template writes the tool's whole JSON Schema into the prompt:
    about 1,000 tokens for a briefing, as many as the article, read again for every article.
    llama.cpp (in-process and its servers) also accepts the schema as
    `response_format={"type": "json_object", "schema": ...}`, which constrains the answer
    by grammar without showing it to the model. The prompt describes the fields instead;
    the answer comes back as the tool call instructor expects, so its parsing, validation
    and re-asks are unchanged.
    """

    def create_with_grammar(*, tools: list[dict[str, Any]], **kwargs: Any) -> Any:
        kwargs.pop("tool_choice", None)
        function = tools[0]["function"]
        response_format = {"type": "json_object", "schema": function["parameters"]}
        response = create(response_format=response_format, **kwargs)
        return _as_tool_call(response, function["name"])

    return create_with_grammar


def _as_tool_call(response: Any, name: str) -> Any:
    """The completion with its JSON answer moved into a call of the tool `name`."""
    from openai.types.chat import ChatCompletionMessageToolCall
    from openai.types.chat.chat_completion_message_tool_call import Function

    choices = []
    for choice in response.choices:
        message = choice.message
        call = ChatCompletionMessageToolCall(
            id=f"call_{choice.index}",
            type="function",
            function=Function(name=name, arguments=message.content or ""),
        )
        message = message.model_copy(update={"content": None, "tool_calls": [call]})
        finish = "tool_calls" if choice.finish_reason == "stop" else choice.finish_reason
        choices.append(choice.model_copy(update={"message": message, "finish_reason": finish}))
    return response.model_copy(update={"choices": choices})
