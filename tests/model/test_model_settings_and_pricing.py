"""Model settings, prices, the text editor tool declaration and prompt loading."""

from __future__ import annotations

from typing import Any, cast

import pytest

from slowcode.engine.model_loop.protocol import tool_definitions
from slowcode.model.pricing import (
    COST_UNKNOWN,
    add_costs,
    canonical_model,
    cost_usd,
    format_cost,
    price_of,
    priced_model,
    regional_premium,
)
from slowcode.model.settings import ModelSettings
from slowcode.model.types import Usage
from slowcode.prompts import load_prompt


def editor_tool(builtin: bool) -> dict[str, object]:
    """The text editor's definition, as every request sends it first among the tools."""
    return tool_definitions(builtin_text_editor=builtin)[0]


def test_from_env_reads_the_anthropic_variables_and_overrides_win() -> None:
    env = {
        "ANTHROPIC_API_KEY": "sk-secret-1",
        "ANTHROPIC_AUTH_TOKEN": "",
        "ANTHROPIC_BASE_URL": "http://localhost:11434",
    }

    settings = ModelSettings.from_env(env, model="claude-haiku-4-5", stream_retries=0)

    assert settings.api_key == "sk-secret-1"
    assert settings.auth_token is None
    assert settings.base_url == "http://localhost:11434"
    assert settings.model == "claude-haiku-4-5"
    assert settings.stream_retries == 0
    assert settings.max_tokens == 8192


def test_vertex_without_a_region_takes_the_variable_its_sdk_reads() -> None:
    env = {"CLOUD_ML_REGION": "us-east5"}
    assert ModelSettings.from_env(env, provider="vertex").region == "us-east5"
    assert ModelSettings.from_env(env, provider="vertex", region="global").region == "global"
    assert ModelSettings.from_env(env, provider="vertex", region=None).region == "us-east5"
    assert ModelSettings.from_env(env).region is None
    assert ModelSettings.from_env(env, provider="bedrock").region is None
    assert ModelSettings.from_env({}, provider="vertex").region is None


@pytest.mark.parametrize(
    ("settings", "configured"),
    [
        (ModelSettings(), False),
        (ModelSettings(api_key="k"), True),
        (ModelSettings(auth_token="t"), True),
        (ModelSettings(base_url="http://127.0.0.1:1"), True),
        (ModelSettings.from_env({}), False),
    ],
)
def test_configured_needs_a_key_a_token_or_a_url(settings: ModelSettings, configured: bool) -> None:
    assert settings.configured is configured


def test_repr_never_shows_credentials() -> None:
    settings = ModelSettings(api_key="sk-ant-very-secret", auth_token="tok-also-secret")

    shown = repr(settings)

    assert "very-secret" not in shown
    assert "also-secret" not in shown
    assert "api_key='<set>'" in shown
    assert "claude-sonnet-5-5" in shown
    assert "api_key=None" in repr(ModelSettings())


def test_prices_per_model_id_in_each_providers_form() -> None:
    sonnet_4_5, opus_4_1 = price_of("claude-sonnet-4-5"), price_of("claude-opus-4-1-20250805")
    opus_4_5, haiku = price_of("claude-opus-4-5"), price_of("claude-haiku-4-5")
    assert sonnet_4_5 is not None and sonnet_4_5 == price_of("claude-sonnet-4-6")
    assert sonnet_4_5 != price_of("claude-sonnet-5-5")
    assert opus_4_1 is not None and opus_4_1.input_per_mtok == 15.0
    assert opus_4_5 is not None and opus_4_5.input_per_mtok == 5.0
    assert haiku is not None and haiku.output_per_mtok == 5.0
    for provider_id in (
        "us.anthropic.claude-haiku-4-5-20251001-v1:0",  # Bedrock, regional profile
        "global.anthropic.claude-haiku-4-5-v1:0",  # Bedrock, global profile
        "claude-haiku-4-5@20251001",  # Vertex AI
        "anthropic/claude-haiku-4-5",  # a gateway
    ):
        assert canonical_model(provider_id) == "claude-haiku-4-5"
        assert price_of(provider_id) == haiku


def test_an_unknown_model_has_tokens_but_no_cost() -> None:
    usage = Usage(input_tokens=1000, output_tokens=10)
    for model in ("llama3.1:8b", "qwen3-coder", "claude-mythos-preview", "my-finetune"):
        assert price_of(model) is None
        assert cost_usd(model, usage) is None
        assert cost_usd(model, usage, "vertex", "us-east5") is None
    assert format_cost(None) == COST_UNKNOWN == "cost unknown"
    assert add_costs(0.5, None) is None and add_costs(None, 0.5) is None
    assert add_costs(0.5, 0.25) == 0.75


def test_every_cost_is_marked_as_an_estimate() -> None:
    assert format_cost(0.0123) == "est. $0.0123"


def test_bedrock_regional_profiles_cost_ten_percent_more_for_recent_models() -> None:
    usage = Usage(input_tokens=1_000_000)
    # Sonnet 5.5's input is $2 per million: 2 × 1.1 = 2.2 on a geography profile.
    assert cost_usd("us.anthropic.claude-sonnet-5-5-v1:0", usage) == pytest.approx(2.2)
    assert cost_usd("eu.anthropic.claude-sonnet-5-5-v1:0", usage, "bedrock") == pytest.approx(2.2)
    assert cost_usd("global.anthropic.claude-sonnet-5-5-v1:0", usage) == pytest.approx(2.0)
    assert cost_usd("claude-sonnet-5-5@20261001", usage) == pytest.approx(2.0)
    # Before the 4.5 generation there is no premium: Sonnet 3.5 stays at $3.
    older = "us.anthropic.claude-3-5-sonnet-20241022-v2:0"
    assert cost_usd(older, usage) == pytest.approx(3.0)


def test_vertex_regional_endpoints_cost_ten_percent_more_for_recent_models() -> None:
    usage = Usage(input_tokens=1_000_000)
    sonnet = "claude-sonnet-5-5@20261001"
    # $2 × 1.1 in us-east5; the global endpoint, an unknown region or another provider: $2.
    assert cost_usd(sonnet, usage, "vertex", "us-east5") == pytest.approx(2.2)
    assert cost_usd(sonnet, usage, "vertex", "europe-west1") == pytest.approx(2.2)
    assert cost_usd(sonnet, usage, "vertex", "global") == pytest.approx(2.0)
    assert cost_usd(sonnet, usage, "vertex", None) == pytest.approx(2.0)
    assert cost_usd(sonnet, usage, "anthropic", "us-east5") == pytest.approx(2.0)
    assert cost_usd(sonnet, usage) == pytest.approx(2.0)
    # Opus 4.1 ($15) and Haiku 3.5 ($0.80) are older than 4.5: no premium in a region.
    assert cost_usd("claude-opus-4-1@20250805", usage, "vertex", "us-east5") == pytest.approx(15.0)
    assert cost_usd("claude-3-5-haiku@20241022", usage, "vertex", "us-east5") == pytest.approx(0.8)
    assert regional_premium(sonnet, "vertex", "us-east5")
    assert not regional_premium(sonnet, "vertex", "GLOBAL")


def test_an_answer_is_priced_by_its_model_in_the_form_it_was_asked_for() -> None:
    profile = "us.anthropic.claude-sonnet-5-5-v1:0"
    # Bedrock answers name the first-party id; the profile's prefix carries the premium.
    assert priced_model("claude-sonnet-5-5-20261001", profile) == profile
    assert priced_model(None, profile) == profile
    assert priced_model("claude-opus-5-5", profile) == "claude-opus-5-5"  # another model
    assert priced_model("claude-opus-5-5", "") == "claude-opus-5-5"


def test_cost_counts_each_kind_of_token_at_its_own_price() -> None:
    usage = Usage(
        input_tokens=1_000_000,
        output_tokens=1_000_000,
        cache_creation_input_tokens=1_000_000,
        cache_read_input_tokens=1_000_000,
    )

    # Sonnet 5.5: 2 input + 10 output + 2.50 cache write + 0.10 cache read = 14.60.
    assert cost_usd("claude-sonnet-5-5", usage) == pytest.approx(14.60)
    # Sonnet 4.5: 3 input + 15 output + 3.75 cache write + 0.30 cache read = 22.05.
    assert cost_usd("claude-sonnet-4-5", usage) == pytest.approx(22.05)
    assert cost_usd("claude-sonnet-5-5", Usage()) == 0.0


def test_text_editor_tool_builtin_and_custom() -> None:
    assert editor_tool(True) == {
        "type": "text_editor_20250728",
        "name": "str_replace_based_edit_tool",
    }

    custom = editor_tool(False)

    assert custom["name"] == "str_replace_based_edit_tool"
    assert "type" not in custom
    assert custom["description"] == load_prompt("tools/str_replace_based_edit_tool.md")
    assert "str_replace" in custom["description"]
    schema = cast(dict[str, Any], custom["input_schema"])
    assert schema["properties"]["command"]["enum"] == ["view", "create", "str_replace", "insert"]
    assert set(schema["properties"]) == {
        "command",
        "path",
        "file_text",
        "old_str",
        "new_str",
        "insert_line",
        "insert_text",
        "view_range",
    }
    assert schema["required"] == ["command", "path"]


def test_load_prompt_finds_repository_prompts_and_refuses_unknown_names() -> None:
    assert load_prompt("system.md").startswith("You are slowcode")
    with pytest.raises(FileNotFoundError):
        load_prompt("no/such/prompt.md")


def test_tools_are_sent_without_validation_only_keywords_which_are_still_checked() -> None:
    import json

    from slowcode.engine.model_loop.protocol import VALIDATION_ONLY, input_problem

    sent = json.dumps(tool_definitions(builtin_text_editor=False))
    assert not [word for word in VALIDATION_ONLY if f'"{word}"' in sent]
    assert '"required"' in sent and '"enum"' in sent
    problem = input_problem("search_code", {"pattern": ""})
    assert problem is not None and "pattern" in problem
    assert input_problem("propose_plan", {"goal": "g", "steps": []}) is not None


def test_one_hour_cache_writes_cost_twice_the_input_price() -> None:
    five = Usage(cache_creation_input_tokens=1_000_000)
    hour = Usage(cache_creation_input_tokens=1_000_000, cache_creation_1h_input_tokens=1_000_000)
    # Sonnet 5.5: $2.50 for a five-minute write, $4 for a one-hour one.
    assert cost_usd("claude-sonnet-5-5", five) == pytest.approx(2.50)
    assert cost_usd("claude-sonnet-5-5", hour) == pytest.approx(4.0)
    assert (five + hour).to_json()["cache_creation_1h_input_tokens"] == 1_000_000
    assert "cache_creation_1h_input_tokens" not in five.to_json()
