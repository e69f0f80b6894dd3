"""Themes above stories: do the themes kit finds match the grouping a reader makes, and what do
they cost?

    python -m bench.topics_themes                 # writes bench/results/topics_themes.json
    python -m bench.topics_themes --parts grouping

The reader's grouping below was written down before kit had a theme level, so before any theme
output existed; nothing in kit was chosen by looking at these figures.

**MultiLing 2011** (100 WikiNews articles, 10 stories). A reader asked to put the ten stories
under a handful of headings would write:

- natural disasters: M000 tsunami aid 2004, M005 Chile earthquake, M006 Haiti earthquake;
- terrorism, war and detention: M001 London 7/7 bombings, M002 Royal Navy sailors held by Iran,
  M007 Abu Ghraib;
- sport: M003 Tour de France, M009 Beijing Olympics;
- standing alone: M004 Bali climate conference (politics of the environment), M008 Air France
  447 (an air accident, not a natural disaster).

A second reading a reader could also defend puts M008 with the disasters ("disasters"); both are
scored, the first is the one reported first. Agreement is NMI and ARI between the themes kit gives
the documents (a story that stands alone is its own theme) and the reader's headings (a story
standing alone is its own heading), on the 100 documents.

**Mixed corpus** (the store of `bench/topics_scale.py`: SQuAD 2.0 dev half paragraphs, the
MultiLing articles, the virtualenv's package descriptions; 979 files). Used for the time of the
theme step. A reader's headings there, written down the same way: the MultiLing stories as above;
the software package descriptions as one heading; of the 16 Wikipedia articles, history (Normans,
Huguenot, Yuan dynasty, French and Indian War, Imperialism), science and technology
(Computational complexity theory, Packet switching, Steam engine, Force, Immune system),
government and law (European Union law, Scottish Parliament, Islamism), and alone 1973 oil crisis,
Harvard University, Warsaw.
"""
