"""Cutover scheduling: service calendar, free slots, replies, invitations and partner links."""
