"""The actors stage: the actor dictionary and the resolver that finds actors in a parsed document."""

from polemos.actors.dictionary import ActorDictionary, ActorEntry, Affiliation, PersonEntry
from polemos.actors.resolve import build_actors, find_actor_mentions

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "Affiliation",
    "PersonEntry",
    "build_actors",
    "find_actor_mentions",
]
