"""The reviewers' site: Markdown pages per pack (`pages`, `rules`, `reference`,
`sources`, `timeline`), the Danish reading of formulas (`danish`), and the
MkDocs build (`build`).
"""
