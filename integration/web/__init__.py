"""The web side of partnerdesk: the FastAPI app, webhook verification and payload parsing."""
