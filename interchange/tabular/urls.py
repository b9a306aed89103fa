# Language-prefixed pages, and paths under /api/v1/ (reuse_portal/api.py).
page_patterns: list = []
api_patterns: list = []
