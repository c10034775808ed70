"""Source intake: an article from a web address, an HTML, PDF or text file, or pasted
text, turned into a Source. ``fetch`` gets a page past the SSRF guard, ``extract``
finds its article text and metadata, ``services`` stores it (finding the source it
already is, re-anchoring quotes when its text changed)."""
