"""Services: the work the tools wrap (analysis, verification, settlement, trading, collection, fitting,
import, user-model runs, demo set-up). Each takes its context or session as an argument; none reads
a context variable, and none imports the tools, the live loop or the faces above it."""
