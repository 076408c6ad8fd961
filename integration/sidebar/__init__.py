"""The Zendesk sidebar app's backend logic: token checks, the case view, page images, packaging.

The HTTP routes live in ``integration.web.app_api``; this package holds what they call,
so it can be tested without a web server.
"""
