"""Use cases: load from the store, apply the domain's rules, write back in one transaction.

Services neither print nor prompt; they return what happened for the commands to show.
"""
