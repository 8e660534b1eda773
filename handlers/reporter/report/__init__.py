"""The reporter's guided report: category → location → details → phone → summary → send.

The draft lives in the database and is saved after every answer, so a restart loses
nothing and the reporter continues at the same step. Private messages are routed by the
draft's step (:data:`steps.STEPS`, from :mod:`handlers.reporter.inbox`); inline buttons
carry the draft's uid, so a button from an older draft or an already-sent report changes
nothing. Anything unexpected at a step gets a clear answer and the step's prompt again;
whatever the reporter sent that the report can use (a location, a photo, a number) is
kept, whatever the step.

:mod:`.steps` answers messages step by step, :mod:`.places` turns typed words, pins and
live locations into a located point, :mod:`.summary` handles the inline buttons up to
Send.
"""
