"""Integration clients: registration, secrets, rotation, revocation and usage."""
