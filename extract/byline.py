"""A byline as a name: the label, date and job title around it taken off.

What a page marks as its author is often the whole byline element: "Author Jane Doe",
"View all posts by Jane Doe", "Jane Doe Senior Reporter", "Jane Doe Last Updated
August 1", or only its label ("Written By", "About the Author"). trafilatura keeps
such text as it is; the warehouse's `author` should hold the people.
"""

from __future__ import annotations

import re

_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# Months that are also first and last names (Tom May, April Smith): a date only with a day.
_NAME_MONTH = r"(?:april|may|june|july|august)"
_DATE_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr|jun|jul|aug|"
               r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_LABEL = re.compile(
    r"^(?:(?:this (?:post|article|story) (?:was )?)?(?:written|posted|published|submitted|"
    r"reviewed|edited|recipe|article|story|words|text|reporting|photos?)\s+by|"
    r"view (?:all|more) posts by|read more (?:about|from)|posts? by|more (?:about|from)|by|"
    r"authors?|about the authors?|"
    r"كتب|كتبت|بقلم|إعداد|اعداد)\b[\s:\-–—]*",
    re.I)
# A date or "updated" after the name: what follows is the byline's timestamp.
_TRAILING_DATE = re.compile(
    rf"(?<=\w)[\s•·|,\-–—]+(?:(?:last\s+)?(?:updated|published|posted)\b|{_DATE_MONTH}\b|"
    rf"{_NAME_MONTH}\s+\d|on\s+(?:\w+,?\s+)?\d).*$", re.I)
_JOB_WORDS = (r"senior|junior|staff|contributing|freelance|tech|technology|trending|managing|"
              r"deputy|chief|lead|head|autos?|news|sports?|political|business|science|health")
_JOB = re.compile(
    rf"(?<=\w)\s+(?:(?:{_JOB_WORDS})\s+)*(?:writer|editor|reporter|correspondent|contributor|"
    r"co-?founder|founder|columnist|journalist|producer)\b.*$", re.I)
# A person's name before a job title: two to four capitalised words, none all capitals
# ("AAA Travel Editor" and "The Currency editors" are the byline of a desk, kept whole).
PERSON = re.compile(r"^(?!(?:the|our|a)\b)(?:[A-Z][a-z'’.\-]+|[A-Z]\.?)(?:\s+(?:[A-Z][a-z'’.\-]*"
                     r"|[a-z]{1,3}))*\s+[A-Z][a-z'’\-]+$")
# What is left when a byline element held only its label or a link's text.
_NOT_A_NAME = re.compile(
    rf"^(?:the author|author|admin|written by|about the author|view (?:all|more) posts|"
    rf"read more|{_MONTH}|updated|submitted|posted|published|by|human)$", re.I)


def clean_name(part: str) -> str | None:
    name = _LABEL.sub("", part.strip(), count=1)
    name = _TRAILING_DATE.sub("", name)
    person = _JOB.sub("", name).strip(" \t,;:-–—•|")
    if person != name and PERSON.match(person):
        name = person
    name = name.strip(" \t,;:-–—•|")
    if not name or _NOT_A_NAME.match(name) or not re.search(r"[^\W\d_]", name):
        return None
    return name


def clean_author(author: str | None) -> str | None:
    """The names of a byline ("; " between several, as trafilatura writes them)."""
    if not author:
        return None
    names = []
    for part in author.split(";"):
        name = clean_name(part)
        if name and name not in names:
            names.append(name)
    return "; ".join(names) or None
