"""Quality rules (质量规则) and quality reports (数据质量核验文档).

A pack's ``rules.yaml`` declares rules per table (``spec``). Each rule kind is registered in
``registry.RULE_KINDS`` with its pydantic model and a compiler (``rules_row``, ``rules_table``);
``compile`` turns a table's rules into ONE batched scan plus the few queries that cannot be
batched; ``execute`` runs them and takes masked samples (``samples``); ``outcome`` scores the
results by the six GB/T 36344-2018 dimensions; ``results`` stores them in the state store;
``service`` is ``ctx.quality`` (used by the runner after each build and by ``lingshu quality``);
``report`` renders the HTML report from ``templates/``.
"""
