"""Settings: defaults, KIT_* environment overrides, loud failures, no secrets in dumps."""

from __future__ import annotations

import json
from pathlib import Path

import pydantic
import pytest

import kit
from kit.config import Settings
from kit.errors import ConfigError, KitError, KitWarning

SECRET = "sk-test-secret-5d1e9a"


def test_env_variables_override_defaults() -> None:
    s = Settings.load(environ={"KIT_CHUNK_SIZE": "500", "KIT_EMBEDDER": "hash", "KIT_STORE_DIR": "/tmp/x"})
    assert s.chunk_size == 500 and s.embedder == "hash" and s.store_dir == Path("/tmp/x")
    assert Settings.load(environ={}).chunk_size != 500  # the default is something else


def test_keywords_override_env() -> None:
    s = Settings.load(environ={"KIT_CHUNK_SIZE": "500"}, chunk_size=600)
    assert s.chunk_size == 600


def test_none_keyword_leaves_env_value() -> None:
    # The CLI passes None for options the user did not give.
    s = Settings.load(environ={"KIT_EMBEDDER": "hash"}, embedder=None)
    assert s.embedder == "hash"


def test_process_environment_is_read(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KIT_TOP_K", "7")
    k = kit.open(store_dir=tmp_path, embedder="hash")
    assert k.settings.top_k == 7


def test_extensions_env_is_a_comma_list() -> None:
    s = Settings.load(environ={"KIT_EXTENSIONS": ".txt,.rst"})
    assert s.extensions == (".txt", ".rst")


def test_other_variables_are_ignored() -> None:
    s = Settings.load(environ={"KITCHEN": "x", "PATH": "/bin", "kit_chunk_size": "5"})
    assert s == Settings.load(environ={})


@pytest.mark.parametrize("environ, overrides, name, suggestion", [
    ({"KIT_CHUNK_SIZ": "500"}, {}, "KIT_CHUNK_SIZ", "KIT_CHUNK_SIZE"),
    ({}, {"chunk_sise": 500}, "'chunk_sise'", "'chunk_size'"),
    ({"KIT_EMBEDER": "hash"}, {}, "KIT_EMBEDER", "KIT_EMBEDDER"),
])
def test_misspelt_setting_fails_naming_it_and_what_was_meant(environ: dict[str, str], overrides: dict[str, object],
                                                             name: str, suggestion: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load(environ=environ, **overrides)
    assert name in str(info.value) and f"did you mean {suggestion}?" in str(info.value)


def test_kit_variable_of_something_else_is_ignored_with_a_warning() -> None:
    with pytest.warns(KitWarning, match="ignoring KIT_HOME_OF_ANOTHER_TOOL"):
        s = Settings.load(environ={"KIT_HOME_OF_ANOTHER_TOOL": "/opt", "KIT_TOP_K": "3"})
    assert s.top_k == 3


def test_origins_say_where_each_value_comes_from() -> None:
    origins = Settings.origins(environ={"KIT_TOP_K": "3"}, llm_model="m", embedder=None)
    assert origins["top_k"] == "env KIT_TOP_K" and origins["llm_model"] == "option"
    assert origins["embedder"] == "default" and set(origins) == set(Settings.model_fields)


def test_unknown_keyword_through_public_api(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="chunksize"):
        kit.open(store_dir=tmp_path, chunksize=400)


@pytest.mark.parametrize("variable, value", [
    ("KIT_CHUNK_SIZE", "abc"),
    ("KIT_CHUNK_SIZE", "50"),  # under the minimum
    ("KIT_EMBEDDER", "bert"),
    ("KIT_MMR_LAMBDA", "1.5"),
    ("KIT_MAX_FILE_MB", "0"),
    ("KIT_STORE_MODE", "cloud"),
])
def test_bad_value_message_names_the_field_and_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={variable: value})
    field = variable.removeprefix("KIT_").lower()
    message = str(info.value)
    assert field in message and variable in message
    assert "\n" not in message  # one line, fit for the CLI


def test_config_error_is_a_kit_error() -> None:
    assert issubclass(ConfigError, KitError)


def test_api_key_never_in_public_dump_or_repr() -> None:
    s = Settings.load(environ={"KIT_API_KEY": SECRET})
    dumped = json.dumps(s.public_dump())
    assert SECRET not in dumped
    assert SECRET not in repr(s) and SECRET not in str(s)
    assert s.public_dump()["api_key"] != SECRET and s.public_dump()["api_key"]
    assert s.resolved_api_key() == SECRET  # still usable where it is needed


def test_public_dump_without_key_is_plain_data() -> None:
    dump = Settings.load(environ={}).public_dump()
    assert dump["api_key"] is None
    json.dumps(dump)  # JSON-serialisable: paths and tuples already converted
    assert set(dump) == set(Settings.model_fields)


def test_api_key_falls_back_to_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    s = Settings.load(environ={})
    assert s.resolved_api_key() == SECRET
    assert SECRET not in json.dumps(s.public_dump())


def test_every_field_has_a_description() -> None:
    missing = [name for name, f in Settings.model_fields.items() if not (f.description or "").strip()]
    assert missing == []


def test_settings_are_frozen() -> None:
    s = Settings.load(environ={})
    with pytest.raises(pydantic.ValidationError):
        s.chunk_size = 10  # type: ignore[misc]


def test_kit_overrides_on_top_of_settings(tmp_path: Path) -> None:
    base = Settings.load(environ={}, store_dir=tmp_path, embedder="hash", chunk_size=500)
    k = kit.Kit(base, top_k=9)
    assert (k.settings.chunk_size, k.settings.top_k, k.settings.embedder) == (500, 9, "hash")
    with pytest.raises(ConfigError, match="top_kk"):
        kit.Kit(base, top_kk=9)


def test_kit_variables_that_are_not_settings_are_allowed() -> None:
    # KIT_CACHE_DIR is read by kit.embeddings.cache_dir, not by Settings; it must not be "unknown".
    s = Settings.load(environ={"KIT_CACHE_DIR": "/tmp/kit-cache", "KIT_TOP_K": "3"})
    assert s.top_k == 3 and "cache_dir" not in s.public_dump()


def test_a_server_address_selects_the_openai_backend_unless_llm_is_given() -> None:
    assert Settings.load(environ={"KIT_LLM_BASE_URL": "http://127.0.0.1:8080/v1"}).llm == "openai"
    both = Settings.load(environ={"KIT_LLM_BASE_URL": "http://127.0.0.1:8080/v1", "KIT_LLM": "extractive"})
    assert both.llm == "extractive"
    assert Settings.load(environ={}).llm == "extractive"


@pytest.mark.parametrize("raw", ['[".txt", ".md"]', ".txt,.md", " .TXT , .md "])
def test_list_settings_read_the_json_form_kit_config_prints_and_the_comma_form(raw: str) -> None:
    assert Settings.load(environ={"KIT_EXTENSIONS": raw}).extensions == (".txt", ".md")


@pytest.mark.parametrize("raw", ["txt,md", '[".txt"', "[1, 2]", ","])
def test_an_extensions_value_that_would_refuse_every_file_is_an_error(raw: str) -> None:
    with pytest.raises(ConfigError) as err:
        Settings.load(environ={"KIT_EXTENSIONS": raw})
    assert "KIT_EXTENSIONS" in str(err.value) and ".txt" in str(err.value)


def test_provenance_names_the_model_of_the_backend_in_use() -> None:
    from kit.grounding.provenance import result_settings
    from kit.llm.gguf_file import BUNDLED_FILE

    openai = result_settings(Settings.load(environ={"KIT_LLM": "openai", "KIT_LLM_MODEL": "m1"}))
    assert openai["llm_model"] == "m1" and "gguf_model" not in openai
    gguf = result_settings(Settings.load(environ={"KIT_LLM": "gguf"}))
    assert gguf["gguf_model"] == BUNDLED_FILE and "llm_model" not in gguf
    assert not {"llm_model", "gguf_model"} & set(result_settings(Settings.load(environ={})))
