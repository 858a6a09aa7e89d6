"""The check-in rota: regular calls to people who want them (isolated, ill, elderly), a
caller assigned each week by the dispatch engine, calls logged, missed weeks escalated."""
