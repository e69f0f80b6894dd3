"""Themes above stories: a corpus written here with two clear themes of two stories each gives
those two themes, the seeds give none, the JSON matches the schema, `kit topics` shows the themes
with their stories indented, and a rerun from the topic cache gives the same themes.

The corpus runs the real default model (the stories and themes are what it finds, not planted
vectors); the grouping rule itself is also tried on hand-made vectors.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

import kit
from kit.api import Kit
from kit.cli import main
from kit.report.html import topics_html
from kit.report.markdown import themes_overview, topics_markdown
from kit.results import Topic
from kit.topics.themes import sign_test, theme_groups

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "kit" / "schema.json").read_text(encoding="utf-8"))

# Two themes a reader would name (sport; disasters that drive people from their homes), two stories
# each, and a story of its own.
STORIES: dict[str, list[str]] = {
    "football": [
        "The football club won the cup final two goals to one at Wembley, and the fans in the stadium "
        "celebrated the title. The coach praised the players after the match as the captain lifted the trophy.",
        "Fans of the football club celebrated the cup victory in the city centre. The manager praised "
        "his players for the goals they scored after the team fell behind in the first half.",
        "The football cup final drew ninety thousand supporters to the stadium. The referee sent off a "
        "defender, and the winning goal came from a header after a corner kick.",
        "After the cup final the football club's captain lifted the trophy. The team's striker, who "
        "scored both goals, was named player of the match by the league.",
    ],
    "tennis": [
        "The tennis champion won the Wimbledon final in front of fans who filled the stadium. Her coach "
        "praised the player after the match, and she lifted the trophy as the crowd celebrated the title.",
        "Fans of the tennis champion celebrated her Wimbledon title. Her coach said the team behind the "
        "player had prepared all season for the final, and the crowd in the stadium cheered the victory.",
        "The tennis final drew a record crowd to the stadium. The champion won the match and the trophy, "
        "and her coach said the player had beaten the best opponent of the season in the final.",
        "After the Wimbledon final the tennis champion lifted the trophy. The player thanked her coach "
        "and the fans, and the crowd in the stadium celebrated the title she won in the match.",
    ],
    "wildfire": [
        "The wildfire burned ten thousand hectares of forest and destroyed two hundred homes. "
        "Firefighters evacuated the villages as the flames spread through the dry hills.",
        "Smoke from the wildfire covered the region, and firefighters dropped water from aircraft "
        "on the burning forest. Residents fled their homes as the fire reached the town.",
        "The wildfire was started by lightning in the dry forest and spread for a week. Thousands of "
        "residents were evacuated and firefighters dug breaks to stop the flames.",
        "After the wildfire, residents returned to the ashes of their homes. The fire destroyed the "
        "forest and rescue teams searched the burned villages for survivors.",
    ],
    "hurricane": [
        "The hurricane made landfall with winds of two hundred kilometres an hour, tearing roofs "
        "from homes. Residents evacuated the coast as the hurricane destroyed villages.",
        "Thousands of residents fled their homes before the hurricane arrived. Its winds knocked down "
        "power lines and uprooted trees, and rescue teams searched destroyed villages for survivors.",
        "Forecasters tracked the hurricane as it strengthened over the warm ocean. Its winds battered "
        "the islands for two days, destroying homes before it weakened over land.",
        "After the hurricane, rescue teams searched the coast for survivors. The winds had destroyed "
        "homes and villages, and residents evacuated to shelters inland.",
    ],
    "bread": [
        "A sourdough starter is a mix of flour and water that wild yeast ferments for days. Bakers feed "
        "the starter daily and use it to leaven bread dough instead of packaged yeast.",
        "Kneading the bread dough develops gluten, which traps the gas the yeast makes. A well kneaded "
        "dough is smooth and elastic, and it rises into a tall loaf with an open crumb.",
        "Bake the loaf in a very hot oven with steam for the first twenty minutes. The steam keeps the "
        "crust soft while the bread rises, then the crust turns brown and crisp.",
        "Whole wheat flour absorbs more water than white flour, so the dough needs more hydration. Let "
        "the bread dough rest before shaping the loaf so the flour can soak up the water.",
    ],
}
THEMES = [{"football", "tennis"}, {"wildfire", "hurricane"}]


def valid(data: object, kind: str) -> object:
    jsonschema.validate(data, {**SCHEMA, "$ref": f"#/$defs/{kind}"})
    return data


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The corpus above, ingested on the default model: (corpus folder, store folder)."""
    root = tmp_path_factory.mktemp("themes")
    for story, texts in STORIES.items():
        for n, text in enumerate(texts):
            (root / "docs").mkdir(exist_ok=True)
            (root / "docs" / f"{story}-{n}.txt").write_text(text, encoding="utf-8")
    kit.open(store_dir=root / "store").ingest(root / "docs")
    return root / "docs", root / "store"


def alone_number(topics: list[Topic]) -> int:
    return next(t.number for t in topics if t.theme is None)


def story_of(path: str) -> str:
    return Path(path).name.split("-")[0]


@pytest.mark.slow
def test_two_clear_themes_come_back_with_the_right_stories(themed: tuple[Path, Path]) -> None:
    # Five stories asked for: this is a test of the theme level (the story level's choice of how many
    # is `tests/test_topics.py`'s, and at four documents a story it joins the two disasters).
    topics = kit.open(store_dir=themed[1]).topics(k=5)
    # Stories first: each topic holds one story's documents.
    assert sorted({story_of(p) for p in t.documents}.pop() for t in topics) == sorted(STORIES)
    assert all(len({story_of(p) for p in t.documents}) == 1 for t in topics)
    themes = {t.theme.number: t.theme for t in topics if t.theme is not None}
    assert topics.themes == [themes[n] for n in sorted(themes)]
    by_theme = [{story_of(p) for t in topics if t.theme is not None and t.theme.number == n for p in t.documents}
                for n in themes]
    assert sorted(map(sorted, by_theme)) == sorted(map(sorted, THEMES))
    alone = [t for t in topics if t.theme is None]
    assert [{story_of(p) for p in t.documents} for t in alone] == [{"bread"}]
    for theme in themes.values():
        assert theme.documents == 8 and len(theme.stories) == 2 and theme.label and theme.keywords
        assert theme.keywords == tuple(k for k in theme.keywords if k.isascii())  # words, not vectors of stems
        assert not any(theme.label == t.label for t in topics)  # a theme is not named after one story


@pytest.mark.slow
def test_themes_in_json_match_the_schema_and_old_fields_stay(themed: tuple[Path, Path]) -> None:
    data = kit.open(store_dir=themed[1]).topics(k=5).to_dict()
    assert all(valid(t, "Topic") for t in data)
    with_theme = [t for t in data if t["theme"] is not None]
    assert len(with_theme) == 4 and all(valid(t["theme"], "Theme") for t in with_theme)
    assert all({"number", "title", "label", "keywords", "documents", "chunks"} <= set(t) for t in data)
    older = {k: v for k, v in data[0].items() if k != "theme"}  # output from before themes still validates
    valid(older, "Topic")


@pytest.mark.slow
def test_cli_shows_themes_with_their_stories_indented(themed: tuple[Path, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["topics", "-k", "5", "--store", str(themed[1]), "--no-progress"]) == 0
    out = capsys.readouterr().out
    heads = [line for line in out.splitlines() if line.startswith("Theme ")]
    assert len(heads) == 2 and all("2 stories, 8 documents" in h for h in heads)
    stories = [line for line in out.splitlines() if line.lstrip()[:3].strip().rstrip(".").isdigit()]
    assert len(stories) == 5 and all(line.startswith("    ") for line in stories)
    assert "On their own: 1 story" in out


@pytest.mark.slow
def test_a_rerun_from_the_topic_cache_gives_the_same_themes(themed: tuple[Path, Path]) -> None:
    first = kit.open(store_dir=themed[1]).topics(k=5)
    second = kit.open(store_dir=themed[1]).topics(k=5)  # the cache of the first run in place
    assert all(t.change is not None for t in second)  # this run did read the cache
    assert [(t.number, t.theme) for t in first] == [(t.number, t.theme) for t in second]
    assert "## Theme 1:" in topics_markdown(second) and "## Stories on their own" in topics_markdown(second)
    overview = themes_overview(second)  # the topic report's list of themes
    assert len(overview) == 3 and overview[-1] == f"- On their own: topics {alone_number(second)}"
    page = topics_html(second)
    assert page.count("<h4>Theme ") == 2 and "2 stories, 8 documents" in page and "<h4>On their own</h4>" in page


@pytest.mark.slow
def test_the_seeds_have_no_theme(minilm_kit: Kit) -> None:
    topics = minilm_kit.topics()
    assert len(topics) == 3 and all(t.theme is None for t in topics) and topics.themes == []
    assert not str(topics).startswith("Theme")


def test_stories_of_two_directions_form_two_themes_and_noise_forms_none() -> None:
    rng = np.random.default_rng(3)
    axes = np.eye(16)
    rows, stories = [], []
    for theme, story in [(0, 1), (0, 2), (3, 4), (3, 5), (6, 7)]:  # (theme axis, story axis)
        block = axes[theme] + axes[story] * 0.8 + rng.normal(0, 0.15, (6, 16)) if theme != 6 else \
            axes[story] + rng.normal(0, 0.15, (6, 16))
        stories.append(list(range(len(rows), len(rows) + 6)))
        rows.extend(block)
    x = np.array(rows) - np.mean(rows, axis=0)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    assert sorted(map(sorted, theme_groups(x, stories))) == [[0, 1], [2, 3]]
    noise = rng.normal(0, 1, (30, 16))
    noise -= noise.mean(axis=0)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    assert theme_groups(noise, [list(range(i, i + 6)) for i in range(0, 30, 6)]) == []


def test_a_genre_holding_most_stories_is_read_for_its_own_themes() -> None:
    # News (four stories: two on sport, two on disasters) beside two manuals. Centred on the whole
    # corpus every news story leans to every other, and news would be one theme of four; read on
    # its own, it holds the two themes a reader names. The manuals (not most stories) stay one.
    rng = np.random.default_rng(4)
    axes = np.eye(24)
    rows, stories = [], []
    for genre, theme, story in [(0, 1, 2), (0, 1, 3), (0, 4, 5), (0, 4, 6), (10, 11, 12), (10, 11, 13)]:
        block = 3 * axes[genre] + axes[theme] + 0.8 * axes[story] + rng.normal(0, 0.15, (6, 24))
        stories.append(list(range(len(rows), len(rows) + 6)))
        rows.extend(block)
    x = np.array(rows) - np.mean(rows, axis=0)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    assert sorted(map(sorted, theme_groups(x, stories))) == [[0, 1], [2, 3], [4, 5]]


def test_the_sign_test_needs_five_documents_at_the_least() -> None:
    assert sign_test(4, 4) > 0.05 and sign_test(5, 5) < 0.05 and sign_test(6, 10) > 0.05


def test_a_theme_label_names_what_its_stories_share_and_the_rest_does_not() -> None:
    from collections import Counter

    from kit.topics.theme_labels import stories_label, theme_label

    stories = [[f"a{i}" for i in range(4)], [f"b{i}" for i in range(4)]]
    rest = [f"r{i}" for i in range(8)]
    texts = {d: "The bakery strike began at dawn. Time passed slowly." for s in stories for d in s}
    texts |= {d: "Time will tell." for d in rest}
    phrases = {d: Counter({"bakery strike": 1, "time": 1}) for s in stories for d in s}
    phrases |= {d: Counter({"time": 1} if int(d[1]) < 5 else {"weather": 1}) for d in rest}
    df = {"bakery strike": 8, "time": 13, "weather": 3}
    assert theme_label(stories, phrases, df, texts) == "Bakery strike"
    # "time" is in every document of the theme but also in 5 of the 8 others: commoner in the theme,
    # but not twice as common, so it names no theme and the label falls back
    for d in phrases:
        phrases[d].pop("bakery strike", None)
    assert theme_label(stories, phrases, {"time": 13, "weather": 3}, texts) is None
    assert stories_label(["Olympic Games", "Tour de France"]) == "Olympic Games and Tour de France"
    assert stories_label(["Haiti", "Chile", "Tsunami", "Olympics", "Tour"]) == "Haiti, Chile and 3 more"
    headlines = ["7.0 magnitude earthquake strikes off Haitian coast", 'British sailors detained by Iran "to be tried"']
    assert stories_label([*headlines, "Oil", "July"]) == "7.0 magnitude earthquake strikes off Haitian coast and 3 more"
