"""Bylines as names: labels, dates and job titles around them taken off."""

import pytest

from extract.byline import clean_author


@pytest.mark.parametrize("byline, name", [
    ("Author Isaiah Shelton", "Isaiah Shelton"),
    ("View all posts by Ray Ansari", "Ray Ansari"),
    ("Recipe by PJ Hamel", "PJ Hamel"),
    ("Read more about The Upwork Team", "The Upwork Team"),
    ("بقلم: محمد الرخا", "محمد الرخا"),
    ("Cazzy Magennis Last Updated August 1", "Cazzy Magennis"),
    ("Haley Hoekstra • March", "Haley Hoekstra"),
    ("Supermove February 8", "Supermove"),
    ("Keith Barry Senior Autos Reporter", "Keith Barry"),
    ("Linda Rosencrance Contributing Writer", "Linda Rosencrance"),
    ("Jane Doe; Updated March 3", "Jane Doe"),
    # Drupal's "submitted" line
    ("Submitted by Jane Doe on Mon, 2019-01-21 13:49", "Jane Doe"),
])
def test_the_name_is_kept_and_the_rest_of_the_byline_goes(byline, name):
    assert clean_author(byline) == name


@pytest.mark.parametrize("name", [
    "Tom May", "April Ryan", "Jane Reporter", "SFist Contributor", "The Currency editors",
    "AAA Travel Editor; SMT", "Our Editors", "Danielle DeSiato; Donna Enzmann",
])
def test_names_that_look_like_dates_or_titles_stay_whole(name):
    assert clean_author(name) == name


@pytest.mark.parametrize("byline", ["Written By", "About the Author", "The Author", "Dec",
                                    "Updated January", "View more posts",
                                    "Submitted on Mon, 2019-01-21 13:49", "", None])
def test_a_label_or_date_alone_is_no_author(byline):
    assert clean_author(byline) is None
