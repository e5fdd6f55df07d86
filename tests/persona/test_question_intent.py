"""Which words a question asks for: the author's own view, or what someone else said."""

from __future__ import annotations

from persona.question_intent import asks_his_view, asks_others


def test_questions_about_his_view_by_pronoun_or_name() -> None:
    for question in ["What did he want done with the empty bus depots?",
                     "What does Tomas think of the tourist tax?",
                     "Why is she against a ban on scooters?",
                     "What is Ferreira's proposal for the courts?",
                     "Should students ride the ferry free?",
                     "What did he say about the harbour cranes?"]:
        assert asks_his_view(question, "Tomas Ferreira"), question
        assert not asks_others(question, "Tomas Ferreira"), question


def test_questions_about_others_words() -> None:
    for question in ["What did the critics say about car-free Sundays?",
                     "What did ChatGPT suggest for the pension fund?",
                     "How many beds does the ward have, according to the report?"]:
        assert asks_others(question, "Tomas Ferreira"), question
        assert not asks_his_view(question, "Tomas Ferreira"), question


def test_they_and_nouns_of_speech_are_not_his_view_nor_others_words() -> None:
    assert asks_others("What did they say about car-free Sundays?", "Tomas Ferreira")
    assert not asks_his_view("What did they say about car-free Sundays?", "Tomas Ferreira")
    for question in ["What is the answer to the court backlog?",
                     "How do I report a broken street light?",
                     "How do I claim a refund for a cancelled ferry?"]:
        assert not asks_others(question, "Tomas Ferreira"), question
        assert not asks_his_view(question, "Tomas Ferreira"), question


def test_a_plain_fact_question_asks_for_neither() -> None:
    question = "How much does a monthly ferry pass cost?"
    assert not asks_his_view(question, "Tomas Ferreira")
    assert not asks_others(question, "Tomas Ferreira")
    # Another writer's name is not his.
    assert not asks_his_view("What does Priya think of the meters?", "Tomas Ferreira")
