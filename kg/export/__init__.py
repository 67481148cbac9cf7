"""Exports of the graph for other tools and for people: files, pictures and an HTML view.

`export_all` writes everything `kg export` promises into one folder. Each module does one job:
`files` (GraphML, GEXF, node-link JSON, JSON-LD), `overview`, `timeline` and `stance` (pictures),
`html` (the interactive view); `layout` and `style` are shared by the pictures.
"""
