"""The sources resources of the REST API: outlets and source documents."""
