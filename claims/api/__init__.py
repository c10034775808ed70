"""The claims resources of the REST API: claims with their appearances,
evidence, verdict timeline and history; speakers, tags and the rating scale."""
