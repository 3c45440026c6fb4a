"""Frames, error codes and group names of the workshop socket (/ws/workshops/<slug>/).

client → server: {"type": "ask", "body", "client_id"}, {"type": "vote" | "unvote", "id"},
                 {"type": "answer" | "unanswer" | "hide", "id"}
server → client: "hello" {workshop, questions, my_votes, can_ask, can_answer, announcements},
                 "voted" {id, voted} to the voter,
                 "error" {code, detail}; the connection stays open
server → all:    "question" (a question asked or changed), "question_removed" {id},
                 "qa" {enabled}, "announcements" {announcements}, "room" {is_open}
"""

from typing import TypedDict

from workshops.models import Announcement, Question

ERROR_CODES = ("invalid", "too_long", "forbidden", "not_found", "closed", "rate_limited")


def workshop_group(workshop_id: int) -> str:
    return f"workshops.workshop.{workshop_id}"


class Person(TypedDict):
    username: str
    display_name: str


class QuestionFrame(TypedDict):
    type: str
    id: int
    body: str
    body_html: str
    author: Person
    votes: int
    answered: bool
    created: str


class AnnouncementItem(TypedDict):
    id: int
    body_html: str
    created: str


class ErrorFrame(TypedDict):
    type: str
    code: str
    detail: str


def person(user) -> Person:
    return {"username": user.username, "display_name": user.name}


def question_frame(question: Question) -> QuestionFrame:
    return {
        "type": "question",
        "id": question.id,
        "body": question.body,
        "body_html": question.body_html,
        "author": person(question.author),
        "votes": question.vote_count,
        "answered": question.is_answered,
        "created": question.created_at.isoformat(),
    }


def announcement_item(announcement: Announcement) -> AnnouncementItem:
    return {
        "id": announcement.id,
        "body_html": announcement.body_html,
        "created": announcement.created_at.isoformat(),
    }


def error_frame(code: str, detail: str) -> ErrorFrame:
    return {"type": "error", "code": code, "detail": detail}
