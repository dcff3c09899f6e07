"""memveil.edge.audit: the privacy audit behind `memveil audit`.

What logs, exports and memories hold (`scan`), what a vault holds and how it is kept
(`vault`), whether anything from the vault reached the cloud (`leaks`, `traffic`). Every
module shows values masked (`mask`) unless the caller asks for them. Imports here stay
light: the edge client imports `traffic` on every start.
"""
