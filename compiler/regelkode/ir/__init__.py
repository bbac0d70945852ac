"""The IR (`nodes`) and the reference interpreter over it (`interpret`).

Every backend compiles `nodes.Program`; every backend is proven against
`interpret` by the differential harness. Nothing here imports a backend.
"""
