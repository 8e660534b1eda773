"""The update processor: one chat's updates in order, chats concurrently, no starvation."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Chat, Message, Update, User

from bot.runtime.processor import PerChatUpdateProcessor

BOT_USER = User(1, "x", is_bot=False)


def update(n: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    message = Message(
        n, __import__("datetime").datetime.now(), chat, from_user=BOT_USER, text=str(n)
    )
    return Update(n, message=message)


async def test_one_chat_stays_in_order_while_chats_run_concurrently() -> None:
    processor = PerChatUpdateProcessor(8)
    done: list[tuple[int, int]] = []
    running = {"now": 0, "max": 0}

    async def handle(n: int, chat: int, delay: float) -> None:
        running["now"] += 1
        running["max"] = max(running["max"], running["now"])
        await asyncio.sleep(delay)
        done.append((chat, n))
        running["now"] -= 1

    tasks = []
    for n in range(10):  # later updates of chat 1 are faster: order must still hold
        tasks.append(
            asyncio.create_task(
                processor.process_update(update(n, 1), handle(n, 1, 0.05 - n * 0.004))
            )
        )
    for n in range(10, 20):
        tasks.append(
            asyncio.create_task(processor.process_update(update(n, 2), handle(n, 2, 0.01)))
        )
    await asyncio.gather(*tasks)
    assert [n for chat, n in done if chat == 1] == list(range(10))
    assert [n for chat, n in done if chat == 2] == list(range(10, 20))
    assert running["max"] == 2  # the two chats overlapped; one chat never ran twice at once


async def test_a_flooding_chat_cannot_take_the_other_chats_slots() -> None:
    processor = PerChatUpdateProcessor(2)
    release = asyncio.Event()
    served: list[int] = []

    async def slow(n: int) -> None:
        await release.wait()
        served.append(n)

    async def quick(n: int) -> None:
        served.append(n)

    flood = [
        asyncio.create_task(processor.process_update(update(n, 1), slow(n))) for n in range(200)
    ]
    await asyncio.sleep(0.05)
    other = asyncio.create_task(processor.process_update(update(999, 2), quick(999)))
    await asyncio.wait_for(other, timeout=1)  # served while chat 1 still waits
    assert served == [999]
    release.set()
    await asyncio.gather(*flood)
    assert served[1:] == list(range(200))


async def test_polling_waits_while_updates_queue_for_a_running_slot() -> None:
    processor = PerChatUpdateProcessor(2)
    release = asyncio.Event()

    async def slow() -> None:
        await release.wait()

    assert await asyncio.wait_for(processor.wait_for_room(), 0.1) is None
    tasks = [
        asyncio.create_task(processor.process_update(update(n, 100 + n), slow())) for n in range(3)
    ]
    await asyncio.sleep(0.01)  # two run, one waits for a slot: room for one more
    assert await asyncio.wait_for(processor.wait_for_room(), 0.1) is None
    tasks.append(asyncio.create_task(processor.process_update(update(3, 103), slow())))
    await asyncio.sleep(0.01)  # two run, two wait: polling pauses
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(processor.wait_for_room(), 0.1)
    release.set()
    await asyncio.gather(*tasks)
    assert await asyncio.wait_for(processor.wait_for_room(), 0.1) is None


async def test_a_flooding_chat_does_not_pause_polling() -> None:
    processor = PerChatUpdateProcessor(2)
    release = asyncio.Event()

    async def slow() -> None:
        await release.wait()

    flood = [
        asyncio.create_task(processor.process_update(update(n, 1), slow())) for n in range(200)
    ]
    await asyncio.sleep(0.05)  # one runs, 199 wait for their own chat: none for a slot
    assert await asyncio.wait_for(processor.wait_for_room(), 0.1) is None
    release.set()
    await asyncio.gather(*flood)
