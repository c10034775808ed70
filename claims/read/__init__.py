"""The claims read layer: every door (the API, the exports and reports, the admin,
the history endpoints, search) reads claims through it.

- ``visibility``: who sees which claims, and which verdict and review state.
- ``filters``: the claims list's filters (``ClaimFilter``), shared by all doors.
- ``search``: ``q=``, full-text on PostgreSQL.
- ``selection``: a viewer's filtered claims, for lists and exports.
- ``verdicts``: the seen verdict as query expressions (exports built in SQL).
- ``builders``: claim objects as the API and the JSON exports show them.
- ``history``: a claim's audit history as a viewer may see it.
"""
