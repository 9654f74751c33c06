"""Evaluation: each answer scored under a versioned rubric with quoted evidence, and the interview's report.

- :mod:`~server.evaluation.rubric`: the rubrics; :mod:`~server.evaluation.base`: results and the
  :class:`Evaluator` interface; :mod:`~server.evaluation.scoring`: the builtin (offline) scorer;
  :mod:`~server.evaluation.openai_evaluator`: a GPT-4-class model with the builtin one as fallback.
- :mod:`~server.evaluation.background`: scoring beside the conversation; :mod:`~server.evaluation.report`:
  the final report. :func:`~server.evaluation.factory.create_evaluator` picks the engine from the settings.
"""
