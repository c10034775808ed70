"""The annotation workspace: a source's text with its claims highlighted, in the admin.

Editors select words of the text to create a claim, attach an appearance or
add an evidence quote; the server re-resolves every selection with
sources.anchoring before anything is saved.
"""
