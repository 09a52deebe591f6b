"""Document builders, one module per kind of work; each registers its kinds in ``DOCUMENTS``."""
