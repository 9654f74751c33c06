"""The conversation engine: plans the interview, asks, follows up and closes, behind one small interface.

- :mod:`~server.conversation.setup`: what the interview is about (:class:`InterviewSetup`).
- :mod:`~server.conversation.base`: the :class:`Interviewer` interface and the data crossing it (``Answer``,
  ``Reply``).
- :mod:`~server.conversation.machine`: the interview as a pure state machine, deciding :mod:`decisions` (a move
  and its utterance) from a state it keeps in :mod:`snapshot`; :mod:`planning` chooses the questions (:mod:`questions`)
  and their grounding, :mod:`probing` what an answer lacks, :mod:`hearing` whether a turn asks for the question again,
  :mod:`pacing` the time, :mod:`templates` and :mod:`wording` the builtin wording.
- :mod:`~server.conversation.builtin` and :mod:`~server.conversation.openai_interviewer`: the two engines;
  :func:`~server.conversation.factory.create_interviewer_factory` picks one from the settings.
"""
