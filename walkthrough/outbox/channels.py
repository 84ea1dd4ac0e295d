"""How a person is told something: email today. A channel is anything with `send(person=..., kind=...,
**context)`; SMS or push can be added to CHANNELS without touching the features that tell people things."""

from typing import Protocol

from .services import send_email


class Channel(Protocol):
    name: str

    def send(self, *, person, kind: str, **context) -> None: ...


class EmailChannel:
    name = "email"

    def send(self, *, person, kind: str, **context) -> None:
        send_email(to=person.email, kind=kind, person=person, **context)


CHANNELS: list[Channel] = [EmailChannel()]


def tell(person, kind: str, **context) -> None:
    """Tell one person through every channel; messages are written with the caller's transaction."""
    for channel in CHANNELS:
        channel.send(person=person, kind=kind, **context)
