"""Forum pages: request in, a selector or service call, template out.

One module per kind of page: reading (categories, topics, posts, search), writing (topics,
replies, edits, summaries, images), member_actions (react, report, delete, watch) and
moderation; lookups finds what a URL names as the viewer may see it. forums/urls.py maps
each address to its view.
"""
