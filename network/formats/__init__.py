"""Date formats where Django's own per-language ones do not suit (FORMAT_MODULE_PATH).

Only the formats named here change; every other one, and every other language, keeps
Django's locale formats.
"""
