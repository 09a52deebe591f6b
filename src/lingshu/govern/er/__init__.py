"""Entity resolution (实体解析) on Splink, with Chinese-aware standardized columns.

The chain, one small module each:

- ``standardize``: SQL functions (pinyin with surname polyphones, name keys, enterprise-name core)
  and the per-kind standardizing SELECT computed before matching;
- ``comparisons``: Splink comparisons whose levels are SQL conditions (Splink translates them to
  each engine's dialect);
- ``blocking``: equality blocking rules per kind, so candidate pairs grow near-linearly;
- ``kinds``: the entity kinds (person, enterprise) tying the three together;
- ``train``: unsupervised training (u by random sampling, m by EM) and versioned JSON models;
- ``cluster``: predictions, review-band pairs, remembered review decisions, connected components;
- ``golden``: stable master ids (overlap with the previous run), survivorship with source
  traceability, merge/split log, incremental matching of a new batch against existing masters;
- ``steps``: the ``er.golden`` Python step packs declare in ``pack.yaml``.

Splink is imported lazily: the govern SQL functions load without it.
"""
