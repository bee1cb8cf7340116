"""Dialogue robustness over REST (issue 10): no question asked more than twice in a row, the
dominant guide started with a way to switch, questions about the current step answered in
place, pasted errors explained with the step that fixes them."""

from stackkit import payloads, texts

OUTLOOK_QUESTION = "Which version of Outlook is it?"
CLIENT_QUESTION = "Which mail program do you use to send email?"


def test_a_question_is_asked_at_most_twice_then_the_safest_default(bot, sender):
    asked = texts(bot.say(sender, "outlook"))
    assert OUTLOOK_QUESTION in asked
    assert OUTLOOK_QUESTION in texts(bot.say(sender, "done"))
    third = texts(bot.say(sender, "done"))
    assert OUTLOOK_QUESTION not in third
    assert "most common" in third and "Outlook 2007, 2003" in third and "Step 1 of 9" in third
    assert bot.slots(sender)["guide"] == "outlook-2010-2016"


def test_without_a_default_a_person_is_offered_instead_of_a_third_question(bot, sender):
    assert CLIENT_QUESTION in texts(bot.say(sender, "hello"))
    assert CLIENT_QUESTION in texts(bot.say(sender, "done"))
    third = bot.say(sender, "done")
    assert CLIENT_QUESTION not in texts(third)
    assert "/human" in payloads(third)
    assert bot.slots(sender)["guide"] is None


def test_dominant_guide_with_a_way_to_switch(bot, sender):
    replies = texts(bot.say(sender, "Thunderbird won't send anything"))
    assert "Using Thunderbird 1 or 2? Tell me and I'll switch guides." in replies
    assert bot.slots(sender)["guide"] == "thunderbird-3-plus"
    bot.say(sender, "it's thunderbird 2")
    assert bot.slots(sender)["guide"] == "thunderbird-legacy"


def test_questions_about_the_current_step_stay_on_it(bot, sender):
    bot.say(sender, "outlook 2013")
    bot.say(sender, "done")
    assert bot.slots(sender)["step"] == 2
    answer = texts(bot.say(sender, "what do I put as the server name?"))
    assert "Leave the server name as it is" in answer and "step 2 of 9" in answer
    answer = texts(bot.say(sender, "which password?"))
    assert "same password as for incoming mail" in answer and "step 2 of 9" in answer
    answer = texts(bot.say(sender, "what is my username?"))
    assert "same as for incoming mail" in answer
    answer = texts(bot.say(sender, "where is the Advanced tab?"))
    assert "step 2 of 9" in answer.lower()
    assert bot.slots(sender)["step"] == 2 and bot.slots(sender)["guide"] == "outlook-2010-2016"


def test_pasted_error_is_explained_with_its_step_and_the_program_kept(bot, sender):
    replies = texts(bot.say(sender, "Outlook 2010 keeps giving me 0x800CCC0E when I send"))
    assert "That error (0x800CCC0E) means" in replies
    assert "Step 5 of this guide fixes it." in replies
    assert bot.slots(sender)["guide"] == "outlook-2010-2016"


def test_error_without_a_program_is_understood(bot, sender):
    replies = texts(bot.say(sender, "550 5.7.1 Relaying denied"))
    assert "relay not permitted" in replies and "didn't understand" not in replies
    assert CLIENT_QUESTION in replies


def test_a_question_that_names_the_program_is_answered_and_identifies_it(bot, sender):
    replies = texts(bot.say(sender, "should I use SSL in Outlook 2016?"))
    assert "Step 1 of 9" in replies
    assert bot.slots(sender)["guide"] == "outlook-2010-2016"


def test_two_programs_in_one_breath_are_asked_with_both_as_buttons(bot, sender):
    replies = bot.say(sender, "Thunderbird or Apple Mail, both fail to send")
    assert "which one has the problem?" in texts(replies)
    buttons = payloads(replies)
    assert '/inform{"client":"thunderbird"}' in buttons
    assert '/inform{"client":"apple-mail"}' in buttons
    assert bot.slots(sender)["guide"] is None
    bot.say(sender, '/inform{"client":"apple-mail"}')
    assert bot.slots(sender)["guide"] == "apple-mail-10-plus"


def test_the_program_with_the_problem_wins(bot, sender):
    bot.say(sender, "It works in Thunderbird but not in Apple Mail on my Mac")
    assert bot.slots(sender)["guide"] == "apple-mail-10-plus"


def test_mail_read_in_a_browser_is_webmail_with_no_port_to_change(bot, sender):
    """ "I just use my browser" answers "which program?": webmail, which has no SMTP port to
    set, instead of the same question again."""
    assert CLIENT_QUESTION in texts(bot.say(sender, "my email won't send"))
    replies = texts(bot.say(sender, "I just use my browser"))
    assert CLIENT_QUESTION not in replies and "no port to change" in replies
    assert bot.slots(sender)["guide"] is None


def test_stop_keeps_the_place_and_continue_resumes_the_same_step(bot, sender):
    """ "stop" mid-guide was "Sorry, I didn't understand that"; now the place is kept and
    "continue" shows the step we stopped at, not the next one."""
    bot.say(sender, "Mail on my Mac")
    bot.say(sender, "done")
    stopped = texts(bot.say(sender, "stop"))
    assert "stop here" in stopped and "step 2 of 8" in stopped
    resumed = texts(bot.say(sender, "continue"))
    assert "Step 2 of 8:" in resumed and "Step 3 of 8" not in resumed
    assert "Step 3 of 8:" in texts(bot.say(sender, "done"))


def test_questions_about_the_fix_itself_are_answered_in_place(bot, sender):
    """How long it takes, what SMTP is, "what's the port again?": answered, the step kept."""
    bot.say(sender, "thunderbird")
    answer = texts(bot.say(sender, "how long will this take?"))
    assert "has 7 steps and you're at step 1" in answer and "step 1 of 7" in answer
    answer = texts(bot.say(sender, "what is smtp?"))
    assert "outgoing mail server" in answer and "step 1 of 7" in answer
    bot.say(sender, "done")
    answer = texts(bot.say(sender, "what's the port again?"))
    assert "changes, to 587" in answer and "step 2 of 7" in answer
    assert bot.slots(sender)["step"] == 2
    # "this is taking forever" and "why do I need authentication?" were "didn't understand"
    answer = texts(bot.say(sender, "this is taking forever"))
    assert "has 7 steps and you're at step 2" in answer
    answer = texts(bot.say(sender, "Why do I need authentication?"))
    assert "knows it is you" in answer and "step 2 of 7" in answer
    # "hi again" mid-guide was "Sorry, I didn't understand that"
    answer = texts(bot.say(sender, "hi again"))
    assert "didn't understand" not in answer and "step 2 of 7" in answer


def test_greetings_and_the_problem_in_other_languages(bot, sender):
    """ "hola" is a greeting; "no puedo enviar correos" states the problem: the program is
    asked for (it was "Sorry, I didn't understand that" and then a hand-off)."""
    assert CLIENT_QUESTION in texts(bot.say(sender, "hola"))
    replies = texts(bot.say(sender, "no puedo enviar correos"))
    assert CLIENT_QUESTION in replies and "didn't understand" not in replies
    assert "support team" not in replies


def test_the_provider_named_is_not_called_unclear(bot, sender):
    bot.say(sender, "my email won't send")
    replies = texts(bot.say(sender, "my isp is comcast"))
    assert "internet providers block port 25" in replies and CLIENT_QUESTION in replies
    assert "didn't understand" not in replies


def test_a_step_named_by_its_number_is_served(bot, sender):
    bot.say(sender, "outlook 2013")
    assert "Step 5 of 9: Change the Outgoing mail (SMTP) port to 587" in texts(
        bot.say(sender, "what's step 5?")
    )
    assert bot.slots(sender)["step"] == 5
    assert "Step 2 of 9:" in texts(bot.say(sender, "go back to step 2"))
    replies = texts(bot.say(sender, "skip to step 12"))
    assert "has 9 steps" in replies and "step 2 of 9" in replies
    assert "Step 3 of 9:" in texts(bot.say(sender, "done with step 2"))
    assert "Step 5 of 9:" in texts(bot.say(sender, "steps 3 and 4 done"))
    # "go back to the beginning" was the previous step; "I did something wrong, can we go back
    # to the beginning?" asked for another program and lost the place
    assert "Step 1 of 9:" in texts(bot.say(sender, "can we go back to the beginning?"))
    bot.say(sender, "done")
    replies = texts(
        bot.say(sender, "I think I did something wrong, can we go back to the beginning?")
    )
    assert "Step 1 of 9:" in replies and bot.slots(sender)["guide"] == "outlook-2010-2016"


def test_a_setting_that_wont_change_gets_the_step_and_a_person(bot, sender):
    """ "the port box is greyed out" at step 2 of Outlook 2013: the port is step 5's, so that
    step is named; a person is offered, and the customer stays on step 2."""
    bot.say(sender, "outlook 2013")
    bot.say(sender, "done")
    replies = bot.say(sender, "the port box is greyed out")
    assert "in step 5:" in texts(replies) and "/human" in payloads(replies)
    assert bot.slots(sender)["step"] == 2
    bot.say(sender, "done")
    bot.say(sender, "done")
    bot.say(sender, "done")
    replies = bot.say(sender, "the port box is greyed out")  # at step 5 itself: the step again
    assert "Step 5 of 9:" in texts(replies) and "/human" in payloads(replies)
    assert bot.slots(sender)["step"] == 5


def test_how_the_bot_works_is_answered(bot, sender):
    """ "Are you a bot?" was off topic ("Sorry, I didn't understand that"); "show me all the
    steps" says why they come one at a time; the step stays."""
    bot.say(sender, "outlook 2013")
    replies = texts(bot.say(sender, "are you a bot?"))
    assert "a bot" in replies and "didn't understand" not in replies and "step 1 of 9" in replies
    replies = texts(bot.say(sender, "show me all the steps"))
    assert "one step at a time" in replies and "step 1 of 9" in replies
    assert bot.slots(sender)["step"] == 1


def test_everyday_answers_to_the_programs_questions(bot, sender):
    """ "I'm on version 2.0.0.24" in the Thunderbird guide switches to the legacy guide (it was
    "Sorry, I didn't understand that"); "the one that came with my mac" is Apple Mail."""
    bot.say(sender, "thunderbird")
    bot.say(sender, "I'm on version 2.0.0.24")
    assert bot.slots(sender)["guide"] == "thunderbird-legacy"
    other = sender + "-mac"
    assert CLIENT_QUESTION in texts(bot.say(other, "my email won't send"))
    bot.say(other, "the one that came with my mac")
    assert bot.slots(other)["guide"] == "apple-mail-10-plus"


def test_chat_replies_emoji_wrong_guide_and_the_end_of_a_guide(bot, sender):
    """A thumbs-up is "done"; "wrong guide" asks for the program's name; "yes thanks" at the
    closing check is "it worked"; an error quoted at the last step is explained before the
    hand-off (each was "Sorry, I didn't understand that", "You're welcome!" or a bare hand-off)."""
    bot.say(sender, "iphone")
    assert "Step 2 of 9:" in texts(bot.say(sender, "👍"))
    assert "Which program is it?" in texts(bot.say(sender, "wrong guide"))
    other = sender + "-end"
    bot.say(other, "outlook 2013")
    for _ in range(8):
        bot.say(other, "done")
    assert bot.slots(other)["step"] == 9
    replies = texts(bot.say(other, "nope, error 0x800CCC0E"))
    assert "That error (0x800CCC0E) means" in replies and "support team" in replies
    last = sender + "-yes"
    bot.say(last, "iphone")
    for _ in range(9):
        bot.say(last, "done")
    assert "Great, your mail goes out" in texts(bot.say(last, "yes thanks"))
