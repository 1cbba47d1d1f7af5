"""Code shared by the tests, one module per kind: alexa (a signed Alexa client that carries its
session, and response readers), people (a person talking across sessions at a fake clock's
time), backends (the storage backends as the contract suite sees them), apl (Amazon's APL
validator), served (the checks the served skill must pass directly and behind the proxy),
verification (signed requests and certificate chains), minimal_model (a small interaction
model that passes every check), routines (the routines and the words that walk them),
hostile_values and hostile_requests (the robustness suite's strategies), export (what the
export tests read back), source_tree (the package's modules, for the structure tests),
raw_requests (any bytes posted to /alexa), sqlite_rows (what the SQLite store tests share)
and store_requests (the envelope the persistence contract hands a store).
Test modules import these from here, never from conftest or from each other."""
