"""Background jobs: long work (a PDF report of thousands of claims) run by task
workers instead of inside a web request, with its progress, its error in words a
person understands, and its result file.

A job is a row (``Job``) that its requester and anyone holding its id can follow
at /api/v1/jobs/<id>/. It runs on Django's Tasks framework (the django-tasks
backport of django.tasks): the database backend by default, RQ on Redis past one
machine. The apps define what a job does as a task; ``jobs.services`` starts it,
runs it (status, progress, heartbeat, result) and takes back the jobs of workers
that died. This app knows none of the others.
"""
