"""Claim suggestions: the check-worthy sentences of a source and who asserts them.

segment.py cuts a text into sentences (pysbd, offsets in code points), features.py
turns a sentence into transparent features and the reasons an editor reads,
scoring.py scores them (a logistic regression over the features and a sentence
embedding, trained by train.py on CheckThat! 2024; model.npz), attribution.py finds
who asserts each sentence and how, speakers.py matches that name to a Speaker,
services.py stores a source's suggestions and records accepting or dismissing one,
jobs.py computes a long text's suggestions in a background job.
"""
