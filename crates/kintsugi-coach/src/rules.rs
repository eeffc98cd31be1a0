//! The coach's rules, as data. Each is a pattern of language (see
//! [`crate::pattern`]), the constraints around it, one plain sentence on
//! why it matters, a gentler way to say it, and examples that must and
//! must not fire — every example is run by the test suite.
//!
//! The harmful patterns follow Gottman's "four horsemen" (criticism,
//! contempt, defensiveness, stonewalling) and the literature on apologies
//! that fail (blame, excuses, minimising, conditional "if" apologies). The
//! parts of a working apology follow Lewicki, Polin & Lount (2016).

use crate::kind::Context::{Apology, Responsibility as Owning};
use crate::kind::Kind::*;
use crate::rule::{rule, Rule, Scope};

const POSITIVE: &str = "laugh*|smile*|happy|happier|best|know|knew|help*|support*|there|amaze*|surprise*|beautiful|kind|good|great|right|wonderful|safe|special|remember*|thank*|appreciate*|proud|forgive*|believe|back|mean";
const REPAIR_BID: &str = "later|tomorrow|in_a_bit|in_an_hour|after_dinner|after_work|minutes|hour|hours|break|breather|pause|calm_down|cool_off|cool_down|come_back|get_back|talk_tonight|talk_again|this_evening|in_the_morning|when_i|once_i|ready|for_now|right_now";

const ALWAYS_WHY: &str = "\"Always\" and \"never\" turn one moment into a verdict on who your partner is, and invite a defence instead of listening.";
const ALWAYS_TRY: &str =
    "Name the one time and how it felt: \"Last night, when …, I felt … . Could we …?\"";
const TRAIT_WHY: &str = "This describes your partner's character rather than something they did, which is heard as an attack.";
const TRAIT_TRY: &str = "Describe the action and its effect on you: \"When you …, I felt … .\"";
const CONTEMPT_WHY: &str = "Insults and mockery say \"I am above you\"; contempt is the strongest predictor of a relationship coming apart.";
const CONTEMPT_TRY: &str =
    "Say the hurt or the need underneath, plainly: \"I'm angry and I'm hurting because … .\"";
const SARCASM_WHY: &str =
    "Sarcasm says the opposite of the words and lands as mockery, even when meant lightly.";
const SARCASM_TRY: &str = "Say what you actually mean, directly and kindly.";
const DEFENSIVE_WHY: &str = "Answering a hurt with a defence or a counter-charge tells your partner their feeling doesn't count.";
const DEFENSIVE_TRY: &str =
    "Look for the part that is true and own it first: \"You're right that I … .\"";
const STONEWALL_WHY: &str = "Shutting the conversation leaves your partner alone with the hurt; if you are flooded, a pause with a time to come back works better.";
const STONEWALL_TRY: &str =
    "\"I'm overwhelmed and need a break. Can we come back to this in half an hour?\"";
const BLAME_WHY: &str = "This makes your partner responsible for your own choice, and moves the conversation away from what you did.";
const BLAME_TRY: &str = "Own your part on its own: \"I chose to … . That was mine.\"";
const EXCUSE_WHY: &str =
    "A reason offered here reads as a justification and shrinks the ownership around it.";
const EXCUSE_TRY: &str = "Leave the reasons for later, if your partner asks; for now, name what you did and how it hurt.";
const MINIMIZE_WHY: &str = "Making it small tells your partner their hurt is out of proportion; how big it is is theirs to say.";
const MINIMIZE_TRY: &str = "Let the size of the hurt stand: \"I can see how much this hurt you.\"";
const NONAPOLOGY_WHY: &str = "This sounds like an apology but puts the problem in your partner's feelings or adds a condition, so it does not land as one.";
const NONAPOLOGY_TRY: &str =
    "Apologise for what you did, without \"if\" or \"but\": \"I'm sorry I … .\"";
const THREAT_WHY: &str =
    "A threat or ultimatum makes the conversation about fear instead of repair.";
const THREAT_TRY: &str =
    "Say the boundary and why it matters to you: \"I can't go on if … . I need … .\"";

const I_WHY: &str = "Speaking from your own feeling and need invites your partner in.";
const THANKS_WHY: &str = "Appreciation said out loud builds the goodwill that repair runs on.";
const OWN_WHY: &str = "Owning it plainly, without conditions, is what makes repair possible.";
const REGRET_WHY: &str = "Saying you are sorry, simply, lets your partner hear the regret.";
const ACK_WHY: &str =
    "Naming exactly what you did shows you know it, so your partner doesn't have to prove it.";
const IMPACT_WHY: &str = "Showing you understand how it hurt is what makes an apology feel real.";
const CHANGE_WHY: &str =
    "Saying what will be different gives your partner something to hold you to.";
const REPAIR_WHY: &str =
    "Offering to make it right is, with owning it, the part of an apology that matters most.";
const FORGIVE_WHY: &str =
    "Asking, not demanding, leaves forgiveness where it belongs: with your partner, in their time.";

pub static RULES: &[Rule] = &[
    // ---------------------------------------------------------------- criticism
    rule(Criticism, "criticism.always_never", "you ~1 always|constantly|continually|repeatedly|everytime")
        .unless(POSITIVE, Scope::Clause)
        .why(ALWAYS_WHY).instead(ALWAYS_TRY)
        .fires(&["You always interrupt me.", "you ALWAYS do this", "why are you constantly on your phone", "You just always assume the worst"])
        .quiet(&["You always make me laugh.", "I always forget my keys"]),
    rule(Criticism, "criticism.never", "you ~1 never|rarely|seldom")
        .unless("fail|let_me_down|judge*|have_to|need_to|guess|believe|cease|stop_amazing|thank*|appreciate*|laugh*|smile*|safe", Scope::Clause)
        .why(ALWAYS_WHY).instead(ALWAYS_TRY)
        .fires(&["You never help with anything.", "you never cared about me"])
        .quiet(&["You never fail to help me with the kids, thank you", "I don't think you never listen.", "You'll never guess who called"]),
    rule(Criticism, "criticism.why_always", "why ~3 you ~1 ever|always|never|even|constantly")
        .unless(POSITIVE, Scope::Clause).literal()
        .why("A \"why do you always…\" question is an accusation dressed as a question.")
        .instead("Ask for what you need instead: \"Could you … next time? It matters to me because … .\"")
        .fires(&["Why can't you ever just listen?", "why do you even bother coming home"]),
    rule(Criticism, "criticism.why_cant_you", "why can|could|would|will not you")
        .literal()
        .why("A \"why can't you\" question is an accusation dressed as a question.")
        .instead("Ask for what you need instead: \"Could you … ? It matters to me because … .\"")
        .fires(&["Why can't you be normal for once"]),
    rule(Criticism, "criticism.what_is_wrong", "what ~2 is ~1 wrong with you")
        .why("\"What is wrong with you\" questions your partner as a person, not what they did.")
        .instead(TRAIT_TRY)
        .fires(&["What is wrong with you?", "what the hell is wrong with you"]),
    rule(Criticism, "criticism.what_kind_of", "what kind|sort of person|man|woman|partner|husband|wife|boyfriend|girlfriend|human|mother|father")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["What kind of person does that?"]),
    rule(Criticism, "criticism.trait", "you are|were|be|act|acting|seem|sound|behave|behaving|get|being @intensifier? @intensifier? @intensifier? @trait")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["You're so selfish.", "you are being incredibly inconsiderate", "How can you be so careless", "ur so lazy"])
        .quiet(&["You're not selfish.", "I don't think you're lazy", "My boss is so selfish"]),
    rule(Criticism, "criticism.your_trait", "your @intensifier? laziness|selfishness|carelessness|immaturity|negativity|attitude|nagging|whining|jealousy|insecurity|temper|insecurities|problem|issue|issues|stupidity|incompetence")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["I'm sick of your attitude", "Your jealousy is exhausting"]),
    rule(Criticism, "criticism.problem_is_you", "you are the ~1 problem")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["You're the problem here."]),
    rule(Criticism, "criticism.dont_care", "you ~1 do|did|does not ~1 care|listen|bother|try|respect|appreciate|value|notice|consider|think|love|give|understand|even")
        .unless("if|worry|mind|matter|have|need|deserve|fault|anything|wrong", Scope::Clause)
        .why("Saying what your partner doesn't feel or do speaks for them, and they will defend themselves rather than hear you.")
        .instead("Say how it is for you: \"I feel unseen when … . I need … .\"")
        .fires(&["You don't care about anyone but yourself", "you don't even try", "You didn't listen to a word I said"])
        .quiet(&["Don't worry if you don't have time", "It's ok if you don't want to talk yet", "You don't have to answer tonight", "you didn't deserve that"]),
    rule(Criticism, "criticism.only_yourself", "you only|just ~1 care|think|worry ~1 about yourself|you|your")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["You only ever think about yourself."]),
    rule(Criticism, "criticism.cant_even", "you can|could not even")
        .literal()
        .why("\"You can't even…\" belittles your partner rather than naming what you need.")
        .instead("Name the one thing and ask for it: \"Could you … ?\"")
        .fires(&["You can't even load the dishwasher right"]),
    rule(Criticism, "criticism.have_no", "you have no respect|shame|sense|consideration|empathy|spine|heart|decency|clue|backbone|idea")
        .unless("love*|much|proud|grateful|thankful", Scope::Clause)
        .literal()
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["You have no respect for me", "you have no shame"])
        .quiet(&["You have no idea how much I love you"]),
    rule(Criticism, "criticism.all_you_do", "all you ~1 ever? do|care|think|want|talk")
        .why(ALWAYS_WHY).instead(ALWAYS_TRY)
        .fires(&["All you ever do is complain"]),
    rule(Criticism, "criticism.every_time", "every single? time you")
        .unless(POSITIVE, Scope::Clause)
        .why(ALWAYS_WHY).instead(ALWAYS_TRY)
        .fires(&["Every single time you promise, you break it"])
        .quiet(&["Every time you smile I melt"]),
    rule(Criticism, "criticism.like_your", "you are|sound|act ~1 just? like your|my mother|mom|mum|father|dad|ex|brother|sister")
        .why("Comparing your partner to someone else turns a complaint into a judgement of who they are.")
        .instead(TRAIT_TRY)
        .fires(&["You're just like your father."]),
    rule(Criticism, "criticism.as_usual", "as|like usual|always $")
        .note()
        .why(ALWAYS_WHY).instead(ALWAYS_TRY)
        .fires(&["Late again, as usual."]),
    rule(Criticism, "criticism.too_much_to_ask", "is|was it|that too much to ask")
        .literal()
        .why("This asks for something while saying your partner has already failed at it.")
        .instead("Ask directly: \"Could you … ? It would mean a lot to me.\"")
        .fires(&["Is it too much to ask for a text?"]),
    rule(Criticism, "criticism.problem_with_you", "the|your problem ~1 with_you|is_that_you|is_you")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["The problem with you is that you never finish anything"]),
    rule(Criticism, "criticism.if_you_werent", "if only? you were|would|did|had not so? @trait|lazy|always|never|nag*")
        .why(TRAIT_WHY).instead(TRAIT_TRY)
        .fires(&["If you weren't so lazy we'd be fine"]),

    // ---------------------------------------------------------------- contempt
    rule(Contempt, "contempt.you_are_insult", "you are|were|be|sound|look|act|acting|seem|being @intensifier? @intensifier? @intensifier? @insult")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["You're pathetic.", "you are such an idiot", "you sound ridiculous", "you are a joke"])
        .quiet(&["I don't think you're stupid.", "You're not an idiot for trusting me", "He is an idiot"]),
    rule(Contempt, "contempt.vocative", "you ~1 idiot|moron|loser|jerk|asshole|bitch|bastard|fool|pig|creep|freak|clown|imbecile|dimwit|halfwit|psycho|prick|dick|coward|liar|cheater|hypocrite")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Nice going, you idiot.", "you lying cheater"]),
    rule(Contempt, "contempt.like_a_child", "like a|an ~1 child|kid|baby|toddler|teenager|brat|two-year-old|five-year-old|spoiled|spoilt|princess|martyr|victim|lunatic|maniac|crazy")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Stop acting like a child.", "quit behaving like a spoiled brat"]),
    rule(Contempt, "contempt.disgust", "you ~2 disgust*|sicken*|repulse*|revolt*|nauseate*|sick")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["You disgust me.", "you make me sick"]),
    rule(Contempt, "contempt.judgement", "that|this|it|how|you|so|just|honestly|is|are|was @intensifier? pathetic|disgusting|laughable|embarrassing|cringe|cringey|cringy|vile|gross|repulsive")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Honestly, that's pathetic.", "How embarrassing for you."]),
    rule(Contempt, "contempt.bare_judgement", "^ pathetic|disgusting|unbelievable|typical|classic|ridiculous|laughable $")
        .note()
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Typical.", "Unbelievable. You forgot again"])
        .quiet(&["Wow, thank you so much!"]),
    rule(Contempt, "contempt.sarcastic_praise", "^ oh|wow|well|yeah ~1 great|wonderful|perfect|brilliant|fantastic|lovely|nice|genius|sure|right|smart|clever|impressive|amazing ; that is|was just great|perfect|wonderful|fantastic|brilliant|lovely|marvellous|marvelous ; ^ just great|perfect|wonderful|fantastic|brilliant $")
        .unless("thank*|love|see|sounds|appreciate|glad|happy|congrat*|proud|can|news|exactly_what", Scope::Sentence)
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Oh great, another brilliant idea.", "Yeah right."])
        .quiet(&["Oh great, see you at six!", "Oh wonderful, thank you", "That's just perfect, thank you so much"]),
    rule(Contempt, "contempt.mock_title", "genius|einstein|sherlock|smartass|smarty|princess|highness|hotshot|captain|mister|buddy|pal|sweetheart|darling|honey $")
        .unless("love|thank*|miss|morning|night|home|dinner|you", Scope::Sentence)
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Great job, genius.", "Nice work, Sherlock"]),
    rule(Contempt, "contempt.nice_going", "^ nice|great|good|real ~1 going|job|move|one|work|plan|effort $")
        .unless("thank*|love|today|proud|kids|presentation|dinner|interview|meal", Scope::Sentence)
        .note()
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Nice going. Real smooth."]),
    rule(Contempt, "contempt.real_mature", "real|very|so|how|that_is|that_was @intensifier? mature|smooth|classy|convenient|original|typical|adult|grown-up")
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Real mature.", "How convenient that you forgot"]),
    rule(Contempt, "contempt.thanks_for_nothing", "thanks|thank_you for_nothing|so_much_for_nothing ; thanks|thank_you a_lot|a_bunch $")
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Thanks for nothing.", "Thanks a lot."]),
    rule(Contempt, "contempt.dismissive_phrase", "^ grow up ; get a grip ; get a life ; get over yourself ; give me a break ; spare me ; cry me a river ; boo hoo ; boohoo ; poor you|baby ; here we go again ; big|what_a surprise ; shocker ; you wish ; ^ oh please ; like you would|could|can|do|did ~1 even|ever ; mr|mister|miss|ms|little|captain|saint|queen|king perfect|know-it-all|obvious|innocent|victim|martyr|responsible ; i am ~2 smarter|better|wiser|more_mature|more_intelligent|the_only_adult|the_adult ; how @intensifier? @trait|@insult you are|were|have_been ; shut up ; get lost ; screw you ; piss off ; go to hell")
        .literal()
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Oh, grow up.", "Boo hoo, poor you.", "Here we go again", "Shut up."])
        .quiet(&["When we grow up old together", "She said 'shut up' as a joke"]),
    rule(Contempt, "contempt.even_capable", "do|does|did|can|are|could you even")
        .literal()
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Do you even listen to yourself?", "Can you even hear how that sounds"]),
    rule(Contempt, "contempt.are_you_serious", "are you serious|kidding ; you have got to be kidding ; you must be joking ; are you for real ; ^ seriously $")
        .note().literal()
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Are you kidding me?", "Seriously?"]),
    rule(Contempt, "contempt.eye_roll", "🙄|😒|🖕|🤡|eyeroll|eye-roll|smh|facepalm")
        .literal()
        .why("An eye-roll, even as an emoji, is the classic sign of contempt.")
        .instead(CONTEMPT_TRY)
        .fires(&["sure you were working late 🙄", "smh"]),
    rule(Contempt, "contempt.eye_roll_words", "roll* eyes|my_eyes ; eyes roll* ; eye roll*")
        .literal()
        .why("An eye-roll, even in words, is the classic sign of contempt.")
        .instead(CONTEMPT_TRY)
        .fires(&["*rolls eyes* fine"]),
    rule(Contempt, "contempt.sure_you_did", "^ oh? sure|yeah|right ~1 you did|do|are|were|will|have|would $")
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Sure you did.", "Oh sure, you were 'at work'"]),
    rule(Contempt, "contempt.of_course_you", "^ of course you did|would|forgot|are|were|do $")
        .note()
        .why(SARCASM_WHY).instead(SARCASM_TRY)
        .fires(&["Of course you forgot."]),
    rule(Contempt, "contempt.think_you_are", "you think you are ~1 better|perfect|smart|special|clever|funny|right|above|so|the|god|superior")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["You think you're better than everyone"]),
    rule(Contempt, "contempt.who_do_you_think", "who do you think you are")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Who do you think you are?"]),
    rule(Contempt, "contempt.even_a_child", "even a ~1 child|kid|monkey|toddler|baby|idiot|five-year-old|dog|teenager")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Even a child could do that."]),
    rule(Contempt, "contempt.regret_choosing", "can not believe i ~1 married|chose|picked|ended|fell|wasted|stayed|trusted")
        .literal()
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["I can't believe I married you."]),
    rule(Contempt, "contempt.ashamed_of_you", "you should be ashamed ; shame on you ; i am ashamed of you ; embarrassed of|by you")
        .literal()
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["You should be ashamed of yourself"]),
    rule(Contempt, "contempt.what_a", "^ what a|an @insult|loser|joke|waste|mess|baby|child|piece")
        .unless("time|day|week|shame|pity", Scope::Clause)
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["What a joke."])
        .quiet(&["What a waste of a lovely day, the rain"]),
    rule(Contempt, "contempt.nobody_would", "nobody|no_one ~1 would|could|will ~1 love|want|stand|put|tolerate|like ~2 you")
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["Nobody else would ever put up with you"]),
    rule(Contempt, "contempt.nothing_without_me", "you are|would_be nothing|no_one|nobody without me")
        .literal()
        .why(CONTEMPT_WHY).instead(CONTEMPT_TRY)
        .fires(&["You'd be nothing without me."]),

    // ---------------------------------------------------------------- defensiveness
    rule(Defensiveness, "defensiveness.not_my_fault", "not ~1 my fault|problem|responsibility|issue|job|concern")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["It's not my fault you were upset", "That is NOT my problem"])
        .quiet(&["It's not your fault."]),
    rule(Defensiveness, "defensiveness.so_my_fault", "it|that|this is|was ~2 my fault|problem|on_me")
        .asked()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["Oh so now it's my fault?"]),
    rule(Defensiveness, "defensiveness.how_my_fault", "how|why is|was this|that|it ~1 my fault|problem|on_me")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["How is that my fault?"]),
    rule(Defensiveness, "defensiveness.dont_blame_me", "do_not|stop|quit ~1 blaming|blame|accusing|accuse|attacking|attack|nagging|nag|criticizing|criticising|lecturing|lecture me")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["Don't blame me for this", "stop attacking me"]),
    rule(Defensiveness, "defensiveness.why_attacking", "why am i ~1 always ~2 blamed|the_one|wrong|the_bad_guy|the_villain ; why are|do you ~1 attacking|attack|blaming|blame|accusing|accuse|picking|pick|nagging|nag|criticizing|criticising|on_my_case|coming_at")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["Why are you always attacking me?"]),
    rule(Defensiveness, "defensiveness.did_nothing_wrong", "i ~2 not ~1 do|done anything wrong ; i ~1 did|done|do nothing wrong")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["I didn't do anything wrong!", "I've done nothing wrong"]),
    rule(Defensiveness, "defensiveness.did_nothing", "i ~1 did|have_done nothing ; i did not do anything $")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["I did nothing!"]),
    rule(Defensiveness, "defensiveness.nothing_to_apologise", "i have|got nothing to apologi*|be_sorry|feel_sorry|feel_bad|feel_guilty")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["I have nothing to apologize for."]),
    rule(Defensiveness, "defensiveness.yes_but", "^ yes|yeah|yea|ok|sure|fine|true|right|maybe|well ~3 but ~1 you|your|what|at|it|that|i|if|honestly")
        .unless("can|could|would|tonight|tomorrow|later|first|please|let|we", Scope::Clause)
        .why("\"Yes, but\" takes back the yes: your partner hears only the but.")
        .instead(DEFENSIVE_TRY)
        .fires(&["Yes, but you were the one who started it", "yeah but what about you"])
        .quiet(&["Ok but can we talk tomorrow?"]),
    rule(Defensiveness, "defensiveness.what_about_you", "what|how about you $ ; what|how about ~3 you|your")
        .unless("dinner|lunch|want|prefer|feel|think|like|day|week|weekend|plans", Scope::Sentence)
        .why("Answering with what your partner did turns their hurt into a contest.")
        .instead(DEFENSIVE_TRY)
        .fires(&["What about when you lied to me?", "What about all the times you ignored me"])
        .quiet(&["I'd like pasta, what about you?"]),
    rule(Defensiveness, "defensiveness.one_to_talk", "you are one to talk ; look who is talking ; you should|can talk ; pot calling the kettle ; look in the mirror ; you are no saint ; you are not perfect either ; you are not innocent")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["You're one to talk.", "Look who's talking"]),
    rule(Defensiveness, "defensiveness.you_too", "you ~1 do|did|say|said it|that|the_same ~1 too|also|all_the_time|as_well|yourself")
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["You do it too!", "well you did the same thing yourself"]),
    rule(Defensiveness, "defensiveness.only_trying", "i ~1 was|am just|only trying|joking|kidding|asking|saying|being_honest|teasing|helping")
        .literal()
        .why("\"I was only trying to…\" defends the intention and steps past how it landed.")
        .instead("Let the effect count first: \"I see it hurt, whatever I meant. I'm sorry.\"")
        .fires(&["I was only trying to help!", "i was just joking"]),
    rule(Defensiveness, "defensiveness.not_true", "that|this|it is|was not true|fair ; that|this|it is|was not what|how ~1 happened|said|meant|went")
        .unless("your fault|you did|love", Scope::Clause)
        .literal()
        .why(DEFENSIVE_WHY).instead("Ask what your partner heard before correcting it: \"What did you hear me say?\"")
        .fires(&["That's not true and you know it", "That is not fair!"]),
    rule(Defensiveness, "defensiveness.at_least_i", "^ at least i ~1 not|do|did|never|tried|try|am|was|have")
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["At least I don't lie about where I am."]),
    rule(Defensiveness, "defensiveness.i_do_everything", "i ~1 do|did everything|all_the_work|so_much|more_than_you")
        .why("Listing what you do answers a hurt with a tally, which your partner hears as \"you don't count\".")
        .instead(DEFENSIVE_TRY)
        .fires(&["I do everything around here!", "I do so much for you"]),
    rule(Defensiveness, "defensiveness.never_said", "^ i never said|did|promised|agreed|meant|told")
        .literal()
        .why(DEFENSIVE_WHY).instead("Ask what your partner heard before correcting it: \"What did you hear me say?\"")
        .fires(&["I never said that."]),
    rule(Defensiveness, "defensiveness.cant_do_right", "i can not|never ~1 do anything right ; never good enough ; nothing i do ; i can not|never win")
        .literal()
        .why("Turning a complaint into \"I can't do anything right\" asks your partner to comfort you instead of being heard.")
        .instead(DEFENSIVE_TRY)
        .fires(&["I can't do anything right, can I?", "Nothing I do is ever good enough"]),
    rule(Defensiveness, "defensiveness.supposed_to_know", "how was|am|were i supposed to know ; how could|would i have? known|know")
        .literal()
        .why(DEFENSIVE_WHY).instead("Ask what would help next time: \"I didn't know. Can you tell me what you need?\"")
        .fires(&["How was I supposed to know?"]),
    rule(Defensiveness, "defensiveness.monster", "like i am|was ~2 monster|criminal|villain|bad_guy|the_worst|evil|a_terrible ; excuse me for ~1 trying|caring|breathing|existing|helping|living|asking ; playing|acting|act|play ~2 the victim|martyr ; i ~1 was trying to be nice|helpful|kind ; i did|do exactly|just|only what you asked|said|wanted|told")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["Well excuse me for trying to help.", "You're treating me like I'm some monster"]),
    rule(Defensiveness, "defensiveness.i_carry_it", "i am|was the one|the_only_one who|that ~1 does|do|did|works|pays|cooks|cleans|takes|keeps|holds|carries|puts|always")
        .literal()
        .why("Listing what you do answers a hurt with a tally, which your partner hears as \"you don't count\".")
        .instead(DEFENSIVE_TRY)
        .fires(&["I'm the one who does everything around here"]),
    rule(Defensiveness, "defensiveness.every_right", "i have|had every right ; i am allowed|entitled")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["I had every right to be there"]),
    rule(Defensiveness, "defensiveness.not_the_one", "i am|was not the_one|the_only_one who|that ; i am not the problem|issue|bad_guy|villain|one_to_blame ; the problem|issue is not me|mine ; it was|is not me ~2 who|that|it")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["I'm not the one who lied here"]),
    rule(Defensiveness, "defensiveness.not_mind_reader", "i am not a mind reader ; i can not read your mind ; i am not perfect")
        .literal()
        .why(DEFENSIVE_WHY).instead(DEFENSIVE_TRY)
        .fires(&["I'm not a mind reader!"]),

    // ---------------------------------------------------------------- stonewalling
    rule(Stonewalling, "stonewalling.whatever", "^ whatever|meh $")
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["Whatever.", "whatever, do what you want"])
        .quiet(&["Whatever you need, I'm here", "my therapist said \"whatever you feel is valid\""]),
    rule(Stonewalling, "stonewalling.whatever_you_say", "^ whatever you say ; ^ whatever you want|think $")
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["Whatever you say."]),
    rule(Stonewalling, "stonewalling.done_talking", "i am ~1 done|through|finished $ ; i am ~1 done|through|finished talking|discussing|with_this|with_you|with_it|here|arguing|explaining|with_us|listening")
        .unless(REPAIR_BID, Scope::Text).literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["I'm done talking about this.", "i am so done with you"])
        .quiet(&["I'm done for now, can we talk again tonight?"]),
    rule(Stonewalling, "stonewalling.leave_me_alone", "leave me alone ; go away ; get away from me ; do not talk|text|call ~1 me ; stop talking|texting|calling ; talk to the hand ; not talking|speaking to you ; i am not listening ; la la la")
        .unless(REPAIR_BID, Scope::Text).literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["Just leave me alone.", "Don't talk to me."])
        .quiet(&["Please leave me alone for an hour, then we can talk"]),
    rule(Stonewalling, "stonewalling.wont_discuss", "i do|will|am not ~1 want|going|interested to? talk|discuss|hear|do_this|have_this|deal|listen|go_there|explain|get_into")
        .unless(REPAIR_BID, Scope::Text).literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["I don't want to talk about it.", "I'm not going to discuss this"])
        .quiet(&["I don't want to talk about it right now, can we talk after dinner?"]),
    rule(Stonewalling, "stonewalling.not_doing_this", "i|we am|are not doing this ; not having this conversation ; not discussing|talking ~1 this|it ; not going through this again")
        .unless(REPAIR_BID, Scope::Text).literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["I'm not doing this again."]),
    rule(Stonewalling, "stonewalling.end_of_discussion", "end of discussion|story|conversation ; conversation|discussion is over ; this is over ; drop it ; forget i said|asked|mentioned ; nothing ~1 to talk_about|discuss|say ; stop|quit asking ; do not bother $|texting|calling|trying|asking|replying ; i am|will ~1 muting|mute|blocking|block|ignoring|ignore ~1 you|this|your ; never mind $ ; nevermind ; no comment ; nothing more? to say ; i give up ; it does not matter $ ; do what|whatever you want")
        .unless(REPAIR_BID, Scope::Text).literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["End of discussion.", "I give up.", "just forget I said anything"]),
    rule(Stonewalling, "stonewalling.forget_it", "^ forget it|about_it")
        .unless("found|figured|sorted|fixed|worked_out|got_it|my_bad|i_will_do_it", Scope::Sentence).literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["Forget it."])
        .quiet(&["forget it, I found the keys"]),
    rule(Stonewalling, "stonewalling.dont_care", "i do not care $ ; i do not care anymore|about_this|about_it|about_us|what_you ; i could not care less ; i do not give a")
        .literal()
        .why(STONEWALL_WHY).instead(STONEWALL_TRY)
        .fires(&["I don't care anymore", "i dont care."])
        .quiet(&["I don't care what others think, I'm proud of us"]),
    rule(Stonewalling, "stonewalling.fine", "^ fine|k|ok $")
        .unless("thank*|love|see|good|great|sounds|home|yes|sure|cool|later|soon|tomorrow|tonight|minute|minutes|bye|let|can|will|i|we", Scope::Text)
        .note()
        .why("A one-word \"fine\" closes the door while sounding like agreement.")
        .instead("Say what is really going on, even briefly: \"I'm not fine, I'm upset, and I need a little time.\"")
        .fires(&["Fine.", "k."])
        .quiet(&["Fine, see you at 7", "I'm fine, thanks for asking"]),

    // ---------------------------------------------------------------- blame
    rule(BlameShift, "blame.you_made_me", "you ~2 @made me ; your ~3 made|makes|drove|drives|pushed|forced me ; that|it|this is|was ~1 on you $")
        .unless("laugh*|smile*|happy|happier|loved|safe|special|seen|heard|better|proud|dinner|coffee|breakfast|tea|cake|believe|feel good|whole|stronger|grateful|want|realise|realize|think|see", Scope::Clause)
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["You made me do it.", "you drove me to this", "You pushed me away so I looked elsewhere"])
        .quiet(&["You made me laugh so hard today", "You make me feel safe"]),
    rule(BlameShift, "blame.your_fault", "your ~1 own? fault|doing|responsibility|problem|fault")
        .unless("not|never|none", Scope::Clause)
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["This is all your fault.", "it's your own fault"])
        .quiet(&["None of this is your fault", "It was never your fault"]),
    rule(BlameShift, "blame.because_of_you", "because_of|thanks_to you ~2 i|we")
        .unless(POSITIVE, Scope::Sentence)
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["Because of you, I lost everything"])
        .quiet(&["Because of you I believe in us again"]),
    rule(BlameShift, "blame.the_reason", "you are|were the ~1 reason|cause")
        .unless(POSITIVE, Scope::Sentence)
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["You're the reason I cheated."])
        .quiet(&["You're the reason I smile"]),
    rule(BlameShift, "blame.if_you_had", "if ~1 you ~8 i|we would|might|could ~1 not|never|have|be ; if ~1 you ~8 none_of_this|this|it|nothing would|might|could ~2 happen*")
        .unless("want|like|need|help|free|ready|happy|come|love|prefer", Scope::Clause)
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["If you had paid attention to me, I wouldn't have strayed", "if you hadn't been so distant I would never have looked"])
        .quiet(&["If you want, I would love to cook tonight"]),
    rule(BlameShift, "blame.would_not_have_to", "i would|will not ~1 have to|need_to ~5 if you ; i would not ~1 have ~4 if you|your")
        .literal()
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["I wouldn't have to yell if you listened for once."]),
    rule(BlameShift, "blame.what_did_you_expect", "what did|do|else_did you ~1 expect")
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["What did you expect?"]),
    rule(BlameShift, "blame.no_choice", "you ~1 left|gave me no|little choice|option|other")
        .literal()
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["You left me no choice."]),
    rule(BlameShift, "blame.brought_it", "you started it|this ; you brought this|it ; you asked for it ; you had it coming ; you provoked ; what you made me ; you drove ; you pushed me")
        .literal()
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["You started it.", "Look what you made me do"]),
    rule(BlameShift, "blame.takes_two", "it takes two ; we are both to blame ; we both did ; you are not blameless ; you were not exactly ; you are not innocent ; you played|had a part ; your part in this")
        .literal()
        .why("In an apology, pointing to your partner's share moves the weight off what you did.")
        .instead("Keep this one about your part; their part can be its own conversation, another day.")
        .fires(&["It takes two, you know."]),
    rule(BlameShift, "blame.because_you", "because|cause|since you ~1 @made|kept|would|were|stopped|picked|started|moved|ignored|never|always|wouldn't|didn't|did|are|had|left|went")
        .only(&[Apology, Owning])
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["I only yelled because you wouldn't stop nagging me."]),
    rule(BlameShift, "blame.but_you", "but you ~2 made|drove|pushed|started|forced|provoked|ignored|never|always|were|left|stopped|kept")
        .only(&[Apology, Owning])
        .why(BLAME_WHY).instead(BLAME_TRY)
        .fires(&["I'm sorry I lied, but you were never home."]),

    // ---------------------------------------------------------------- excuses
    rule(Excuse, "excuse.only_because", "i ~2 only|just|did|do|said|went|lied|cheated|texted|hid|looked|kept|was|acted|yelled|snapped ~4 because|cause|since")
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["I only did it because I was lonely.", "I lied because you would have freaked out"])
        .quiet(&["I'm late because of the traffic"]),
    rule(Excuse, "excuse.i_was_state", "i was|had_been|felt|got ~2 drunk|tipsy|high|wasted|stressed|exhausted|lonely|bored|depressed|overwhelmed|confused|vulnerable|weak|desperate|under|struggling|going|dealing|not|in_a_bad|angry")
        .only(&[Apology, Owning])
        .unless("wrong|responsible|accountable|fault|excuse|sorry|selfish|dishonest|coward|lied|lying", Scope::Clause)
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["I was drunk and it just happened", "I was going through a lot at work"])
        .quiet(&["I was wrong and I'm sorry"]),
    rule(Excuse, "excuse.couldnt_help", "i could|can not help it|myself ; i had no choice ; i did not have a|any choice")
        .literal()
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["I couldn't help it.", "I had no choice"]),
    rule(Excuse, "excuse.just_happened", "it just happened ; things happened ; things got out of hand ; got out of hand ; one thing led to another ; got carried away ; caught up in the moment ; heat of the moment ; it was an accident ; it was not planned|intentional ; it was not on purpose")
        .literal()
        .why("\"It just happened\" removes the person who chose; a choice was made.")
        .instead("Say it as a choice: \"I chose to … .\"")
        .fires(&["It just happened, I swear", "Things got out of hand"]),
    rule(Excuse, "excuse.anyone_would", "anyone|everyone|anybody|everybody|any_man|any_woman|any_guy|most_people ~2 would|does|do|did ~1 have? ~1 done|the_same|it|that|tempted|fallen|slipped|cracked")
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["Anyone would have done the same."]),
    rule(Excuse, "excuse.it_was_the", "a weak moment ; moment of weakness ; was|is not ~1 myself|really_me|in_my_right_mind|thinking_straight ; it|that was|is ~1 the ~1 alcohol|drinking|drink|drinks|booze|stress|pressure|pills|meds|situation|circumstances|wine|beer|job|work|party")
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["It was the alcohol talking."]),
    rule(Excuse, "excuse.only_human", "i am only|just human ; nobody|no_one is perfect ; everyone makes mistakes ; we all make mistakes ; people make mistakes")
        .literal()
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["I'm only human.", "Everyone makes mistakes"]),
    rule(Excuse, "excuse.didnt_mean", "i did not mean to|it ; i never meant to ; never meant for ; i did not intend ; i never intended")
        .note().literal()
        .why("Meaning well doesn't undo the hurt; leading with intentions can sound like an excuse.")
        .instead("Speak to the effect first: \"I hurt you. I'm sorry.\"")
        .fires(&["I didn't mean to hurt you."]),
    rule(Excuse, "excuse.the_reason", "the_reason|reason_why i ~4 was|is because|that")
        .only(&[Apology, Owning])
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["The reason I did it was that I felt ignored"]),
    rule(Excuse, "excuse.hard_time", "i ~1 had|have_had|have_been ~1 a_lot|so_much|under|going_through|dealing ; i ~1 had|have_had ~1 a ~1 terrible|rough|bad|hard|long|awful|horrible|stressful|tough|crazy week|day|month|year|time|night")
        .only(&[Apology, Owning])
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["I'd had a rough week."]),
    rule(Excuse, "excuse.they_started", "she|he|they ~1 came_on_to_me|kissed_me_first|made_the_first_move|started_it|pursued_me|threw_herself|threw_himself|seduced_me|would_not_leave_me_alone")
        .literal()
        .why(EXCUSE_WHY).instead("Speak only to your own part: \"I chose to … .\"")
        .fires(&["She came on to me first."]),
    rule(Excuse, "excuse.understand_i_was", "you have_to|need_to|must|should ~1 understand|know|see|remember ~2 i|that_i|how|my")
        .only(&[Apology, Owning])
        .note()
        .why(EXCUSE_WHY).instead(EXCUSE_TRY)
        .fires(&["You have to understand I was under so much pressure."]),

    // ---------------------------------------------------------------- minimizing
    rule(Minimizing, "minimizing.only_just", "it|this|that|they|he|she|those|these is|was|were|are ~1 only|just|merely|simply|nothing ~1 a|an|one|some|few|couple|once|twice|friend|friends|texting|texts|messages|talking|lunch|coffee|drinks|drink|kiss|flirting|fun|joke|game|words|harmless|innocent|meaningless|physical|emotional|sex|nothing|silly|little|small|tiny|banter|work|chat|chatting|dinner|online|phone|stupid ; it|that was|is nothing $ ; it|this|that is|was @intensifier? nothing|tiny|minor|trivial|petty|harmless|innocent|meaningless $ ; it|that was|is ~1 just? a|one comment|joke|remark|word|scratch ; it|that is|was literally ~2 a|one|five|ten|two|few|nothing")
        .unless("misunderstanding|thought|question|idea|reminder|suggestion", Scope::Clause)
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["It was just a few texts.", "it was only lunch", "she's just a friend", "it was nothing"])
        .quiet(&["It is just that I miss you", "It was only a thought, tell me what you think"]),
    rule(Minimizing, "minimizing.no_big_deal", "no|not a? big deal ; not that big|serious|bad ; not a real ; not serious|important ; no harm done")
        .unless("if|at_all|we_can|we_could|no_worries|happy_to", Scope::Sentence)
        .literal()
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["It's not a big deal.", "no harm done, right?"]),
    rule(Minimizing, "minimizing.meant_nothing", "it|that|she|he|they ~1 meant|means ~1 nothing ; did|does not mean anything ; nothing ~1 happened ; did not go anywhere ; it|that was harmless|innocent|meaningless")
        .literal()
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["It didn't mean anything.", "She meant nothing to me", "Nothing even happened!"]),
    rule(Minimizing, "minimizing.small_words", "white|little|tiny|small lie|lies ; never hurt anybody|anyone ; nothing compared to ; who cares ; barely|hardly ~1 touched|pushed|grabbed|shoved|raised|yelled|texted|kissed|flirted|knew|know ; like i ~2 committed|killed|murdered|robbed|a_crime|a_felony ; others|other_couples|other_people|most_couples|most_people|plenty_of_people ~4 worse ; you ~2 crying|upset|mad|angry|sulking over|about that|this|nothing|something_so")
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["It was a little white lie.", "you're crying over THAT?", "who cares"]),
    rule(Minimizing, "minimizing.one_night", "it|that was|is ~1 one|a_single|only_one night|time|kiss|mistake|slip|text|date|drink")
        .only(&[Apology, Owning])
        .why(MINIMIZE_WHY).instead("Name it fully, without counting it small.")
        .fires(&["It was one night."]),
    rule(Minimizing, "minimizing.overreacting", "you ~2 overreact*|over-react*|over_react*|hysterical")
        .why("Calling the reaction too big tells your partner their hurt is wrong.")
        .instead(MINIMIZE_TRY)
        .fires(&["You're overreacting.", "you are totally over-reacting"]),
    rule(Minimizing, "minimizing.too_sensitive", "you are|being|get ~2 too|so|overly ~1 sensitive|touchy|emotional|dramatic|worked_up")
        .why("Calling your partner too sensitive dismisses the hurt instead of hearing it.")
        .instead(MINIMIZE_TRY)
        .fires(&["You're being too sensitive."]),
    rule(Minimizing, "minimizing.big_deal", "make|making|made|makes|turned|turning ~3 big_deal|mountain|fuss|scene|drama|too_much_of|a_thing|a_whole_thing|an_issue")
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["Stop making such a big deal out of it", "you're making a mountain out of a molehill"]),
    rule(Minimizing, "minimizing.out_of_proportion", "blow*|blew ~3 out_of_proportion ; reading|read too much into ; taking|take it|this|things too ~1 seriously|personally|far")
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["You're blowing this way out of proportion"]),
    rule(Minimizing, "minimizing.calm_down", "^ just? calm_down|relax|chill|get_over_it|let_it_go|move_on|drop_the_drama")
        .unless("we|let us|both|together|tomorrow|first|minute|minutes|i need|i will", Scope::Sentence)
        .why("Telling your partner to calm down or move on tells them to stop feeling before they are ready.")
        .instead(MINIMIZE_TRY)
        .fires(&["Calm down.", "Just get over it already", "move on, it's been months"])
        .quiet(&["Let's both calm down and talk tomorrow"]),
    rule(Minimizing, "minimizing.should_move_on", "you ~2 need|should|have|must|got to? ~1 move_on|get_over|let_it_go|let_go|stop_bringing|stop_dwelling|forget_about")
        .why("Telling your partner to move on sets their pace for them.")
        .instead("Leave the pace to them: \"Take the time you need.\"")
        .fires(&["You need to get over it.", "you should let it go by now"]),
    rule(Minimizing, "minimizing.still_upset", "are_you|you_are ~1 still ~2 upset|mad|angry|on_about|going_on|bringing|hung_up|dwelling|talking_about|thinking_about|crying")
        .unless("understand*|okay|ok|right|makes sense|of course|how", Scope::Sentence)
        .why("\"Still?\" tells your partner their hurt has run past its time; hurt has no deadline.")
        .instead("Ask how they are, without a clock: \"How are you feeling about it today?\"")
        .fires(&["Why are you still upset about that?", "Are you seriously still going on about this"]),
    rule(Minimizing, "minimizing.in_the_past", "that|it was|is ~1 ages|years|months|so_long_ago|in_the_past|ancient_history|water_under_the_bridge|old_news")
        .why("Saying it is in the past decides for your partner when it stopped hurting.")
        .instead(MINIMIZE_TRY)
        .fires(&["That was ages ago.", "It's ancient history"]),
    rule(Minimizing, "minimizing.only_once", "i ~3 only|just ~1 once|twice|a_few|a_couple|one|a_little|briefly|occasionally|sometimes|kissed|texted|talked|met|saw|looked|chatted|flirted")
        .only(&[Apology, Owning])
        .why(MINIMIZE_WHY).instead("Name it fully, without softening words like \"only\" or \"just\".")
        .fires(&["I only kissed her once."]),
    rule(Minimizing, "minimizing.not_like", "it is|was not like i|we ; it is not as if ; at least i|we did not ; at least it was not ; at least nothing ; everyone does it ; it is normal ; it is not cheating ; not technically")
        .literal()
        .why(MINIMIZE_WHY).instead(MINIMIZE_TRY)
        .fires(&["It's not like I slept with her.", "At least I didn't sleep with him"]),

    // ---------------------------------------------------------------- non-apologies
    rule(NonApology, "non_apology.sorry_if", "sorry|apologize|apologise|apologies|regret ~2 if")
        .literal()
        .why(NONAPOLOGY_WHY).instead(NONAPOLOGY_TRY)
        .fires(&["I'm sorry if you were hurt.", "I apologize if anything I did upset you"]),
    rule(NonApology, "non_apology.sorry_you_feel", "sorry|regret ~1 that? you ~1 feel|felt|are|were|think|thought|took|take|see|saw|got|get|chose|misunderstood|misunderstand|can_not|could_not|have|had|feeling")
        .unless("because of me|caused|i did|i made|by my|by me|my|go through|went through|had to", Scope::Sentence)
        .why(NONAPOLOGY_WHY).instead(NONAPOLOGY_TRY)
        .fires(&["I'm sorry you feel that way.", "sorry you're upset", "Sorry you took it the wrong way"])
        .quiet(&["I'm sorry you had to find out the way you did, because of my lies"]),
    rule(NonApology, "non_apology.sorry_but", "sorry ~5 but|though|however")
        .only(&[Apology, Owning])
        .why("A \"but\" after sorry takes the apology back.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["I'm sorry, but you have to admit you were distant."]),
    rule(NonApology, "non_apology.sorry_but_you", "sorry ~5 but you|your|it_was|it_is|i_was|i_had|i_only|i_am_not|honestly|seriously|come_on|at_least|in_my_defense|in_my_defence|to_be_fair")
        .why("A \"but\" after sorry takes the apology back.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["Sorry, but you were the one who started it."])
        .quiet(&["Sorry but I'll be late tonight, the train is stuck"]),
    rule(NonApology, "non_apology.passive", "mistakes|things|words|feelings|errors ~1 were|got ~1 made|said|hurt|done")
        .literal()
        .why("\"Mistakes were made\" hides who made them.")
        .instead("Say who did what: \"I made a mistake: I … .\"")
        .fires(&["Mistakes were made.", "Things were said on both sides"]),
    rule(NonApology, "non_apology.whatever_i_did", "sorry|apologi* ~1 for whatever|anything ~1 i? did|said ; sorry|apologi* for whatever $")
        .literal()
        .why("Apologising for \"whatever\" shows you don't know what you are apologising for.")
        .instead("Name it: \"I'm sorry that I … .\"")
        .fires(&["Sorry for whatever I did."]),
    rule(NonApology, "non_apology.grudging", "i guess|suppose|s'pose ~2 sorry|apologi*")
        .literal()
        .why("A grudging apology tells your partner you don't mean it.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["I guess I'm sorry."]),
    rule(NonApology, "non_apology.fine_sorry", "^ fine|ok|geez|jeez|alright|whatever|god|omg i? ~1 am? sorry|apologi*")
        .literal()
        .why("A grudging apology tells your partner you don't mean it.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["Fine, I'm sorry, ok?", "geez sorry"]),
    rule(NonApology, "non_apology.already_said", "i ~1 said|already|told_you|apologized|apologised ~2 sorry|apologi*|enough|a_thousand|a_million|times|already|so_many ; hold|holding ~1 this|it|that ~1 over|against me ; sorry ~1 it|that|things turned|got|became|went|ended|blew ; ^ sorry ok|okay $")
        .literal()
        .why("Pointing to past apologies asks your partner to stop hurting on your schedule.")
        .instead("An apology can be said again, plainly: \"I'm sorry I … .\"")
        .fires(&["I said I'm sorry, what more do you want?", "I already apologized!"]),
    rule(NonApology, "non_apology.how_many_times", "how many times ~5 sorry|apologi*|say_it|tell_you|said_it ; what more|else do you want ; are? you? happy now ; there i said it")
        .literal()
        .why("Impatience with the apology undoes it.")
        .instead("An apology can be said again, plainly: \"I'm sorry I … .\"")
        .fires(&["How many times do I have to say sorry?", "Happy now?"]),
    rule(NonApology, "non_apology.if_i_hurt", "if i ~1 hurt|offended|upset|did_anything|said_anything|did_something|caused|made_you ; if anything i")
        .literal()
        .why(NONAPOLOGY_WHY).instead(NONAPOLOGY_TRY)
        .fires(&["If I hurt you, I apologize."]),
    rule(NonApology, "non_apology.any_inconvenience", "apologi*|sorry|regret ~2 inconvenience|confusion|misunderstanding|offense|offence|miscommunication")
        .literal()
        .why("This apologises for a misunderstanding rather than for what you did.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["I apologize for any confusion.", "sorry for the misunderstanding"]),
    rule(NonApology, "non_apology.sorry_not_perfect", "sorry ~1 i am not perfect|good_enough|a_mind_reader ; sorry ~1 i am such a ~1 terrible|bad|monster|horrible|awful ; sorry not sorry ; sorry for|that i breathing|existing|exist|being_me|being_alive")
        .literal()
        .why("A sarcastic apology is not one.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["Sorry I'm not perfect!", "sorry not sorry"]),
    rule(NonApology, "non_apology.my_bad", "^ my_bad|oops|whoops|oopsie")
        .only(&[Apology, Owning])
        .note()
        .why("A casual apology can make a real hurt sound small.")
        .instead(NONAPOLOGY_TRY)
        .fires(&["My bad, won't happen again."]),

    // ---------------------------------------------------------------- threats
    rule(Threat, "threat.if_then", "if|next_time|the_next_time|do_it_again|do_that_again|one_more ~8 i|we|it will|am|are|is|shall ~2 leave|leaving|divorce|divorcing|done|finished|through|gone|over|end|ending|kick|walk|move|throw|file|break|breaking|pack|packing|never|not|expose|hurt|make|ruin|destroy|report|post|cheat|tell|take|taking|call|out|moving|between")
        .unless("help|pick|cook|bring|make dinner|make you dinner|make breakfast|make tea|call you|tell you|be there|take you|take care|happy|love|free|home|ready|want|need|like", Scope::Clause)
        .why(THREAT_WHY).instead(THREAT_TRY)
        .fires(&["If you do that again, I'm leaving.", "if you lie to me one more time we are done", "If you go to that party I'll tell your mother everything"])
        .quiet(&["If you want, I'll pick you up", "if you're free, I'll take you to dinner", "Or else we could just get Thai again"]),
    rule(Threat, "threat.or_else", "or else $ ; or i|we|you will|am|are|can|swear ; or it is over ; or we are done ; or ~1 do not ~1 come|bother|expect ; ^ try me ; see|watch what happens ; keep it|this up ~1 and ; and i am|will ~1 gone|done|out|leaving|leave|moving_out $")
        .literal()
        .why(THREAT_WHY).instead(THREAT_TRY)
        .fires(&["Stop lying, or I'm leaving.", "You'd better be home by ten or else."]),
    rule(Threat, "threat.you_will_regret", "you will|are_going_to ~1 regret !not|missing ; you will|are_going_to ~1 be_sorry|pay|see|wish|never_see|lose|find_out")
        .unless("fine|okay|ok|love|glad|happy|enjoy|soon|surprise|tomorrow|tonight", Scope::Sentence)
        .why(THREAT_WHY).instead(THREAT_TRY)
        .fires(&["You'll regret this.", "you will pay for what you did"]),
    rule(Threat, "threat.warning", "i am warning you ; this is your last ; last chance ; final warning|chance ; do not make|push|test me ; watch yourself ; watch your back ; watch it $ ; mark my words ; do not you dare ; i swear to god ; i swear if ; one more time|lie|chance and")
        .literal()
        .why(THREAT_WHY).instead(THREAT_TRY)
        .fires(&["I'm warning you.", "This is your last chance.", "Don't you dare."]),
    rule(Threat, "threat.i_will", "i ~1 will|am_going|shall|swear to? ~1 leave_you|divorce|take_the_kids|take_everything|tell_everyone|tell_your|tell_the|ruin|make_your_life|make_you_pay|hurt_you|destroy|expose|kill|call_a_lawyer|call_my_lawyer|file_for|kick_you|throw_you|throw_your|take_the_house|show_everyone")
        .only(&[crate::kind::Context::Message])
        .why(THREAT_WHY).instead(THREAT_TRY)
        .fires(&["I will take the kids.", "I'm going to tell everyone what you did"]),
    rule(Threat, "threat.we_are_done_if", "we|it|this|i are|is|am ~1 done|over|finished|through|gone ~3 if|unless|the_next|the_moment|next_time")
        .literal()
        .why(THREAT_WHY).instead(THREAT_TRY)
        .fires(&["We're done if you see her again.", "I'm gone the next time you lie"]),

    // ---------------------------------------------------------------- I-statements
    rule(IStatement, "i_statement.feel", "i ~1 feel|felt|feeling ~2 @feeling ; i ~1 am|was|get|got|been ~2 @feeling_strict")
        .literal()
        .why(I_WHY)
        .fires(&["I feel hurt when plans change at the last minute.", "I'm so lonely lately", "i felt scared"]),
    rule(IStatement, "i_statement.need", "i @intensifier? need|needed|would_like|would_love|would_appreciate|wish_we|hope_we|want_us|am_asking")
        .why(I_WHY)
        .fires(&["I need to hear from you when you're running late.", "I would love it if we had dinner together"]),
    rule(IStatement, "i_statement.would_help", "it would ~2 help|mean_a_lot|mean_so_much|mean_the_world")
        .why(I_WHY)
        .fires(&["It would really help me if you texted when you leave"]),
    rule(IStatement, "i_statement.when_you_i", "when you ~6 i|it feel|felt|get|start|makes")
        .why(I_WHY)
        .fires(&["When you come home late without a word, I feel anxious."]),

    // ---------------------------------------------------------------- appreciation
    rule(Appreciation, "appreciation.thanks", "thank|thanks|thankful|grateful|gratitude|thankyou")
        .why(THANKS_WHY)
        .fires(&["Thank you for listening last night.", "I'm so grateful for you"]),
    rule(Appreciation, "appreciation.i_appreciate", "i @intensifier? @intensifier? appreciate|admire|value|cherish|adore|respect")
        .why(THANKS_WHY)
        .fires(&["I really appreciate how patient you've been", "I admire your courage"])
        .quiet(&["I don't appreciate being lied to"]),
    rule(Appreciation, "appreciation.proud", "proud of you ; meant|means ~2 a_lot|so_much|the_world|everything")
        .why(THANKS_WHY)
        .fires(&["I'm proud of you.", "It meant a lot to me that you came"]),
    rule(Appreciation, "appreciation.love_how", "i ~1 love|loved|like|liked|enjoy|enjoyed ~1 how|when|that|the_way ~2 you")
        .why(THANKS_WHY)
        .fires(&["I loved the way you held my hand today"]),
    rule(Appreciation, "appreciation.you_are_good", "you are|were|have_been @intensifier? @intensifier? amazing|wonderful|kind|thoughtful|patient|incredible|brave|strong|generous|sweet|lovely|the_best|so_good|great|beautiful|caring|supportive|gentle|honest|brilliant|fantastic|good|my_rock|awesome")
        .why(THANKS_WHY)
        .fires(&["You were so patient with me tonight.", "you're amazing"]),
    rule(Appreciation, "appreciation.you_did_well", "you ~1 did|handled|managed ~2 great|amazing|well|wonderful|brilliantly|beautifully")
        .why(THANKS_WHY)
        .fires(&["You handled that really well."]),
    rule(Appreciation, "appreciation.you_outdid", "you outdid|nailed|rocked|aced|smashed|crushed yourself|it")
        .why(THANKS_WHY)
        .fires(&["Dinner was lovely, you outdid yourself."]),
    rule(Appreciation, "appreciation.you_make_me", "you @intensifier? make|made|makes me ~1 feel? laugh|smile|happy|happier|better|loved|safe|special|seen|heard|good|proud|whole|stronger")
        .why(THANKS_WHY)
        .fires(&["You make me feel safe."]),

    // ---------------------------------------------------------------- responsibility
    rule(Responsibility, "responsibility.my_fault", "it|that|this|which|all is|was|were @intensifier? @intensifier? my ~1 fault|choice|decision|doing|responsibility|mistake|failure|wrong ; the fault|blame|responsibility is|lies|was ~2 mine|with_me|on_me ; it|that is|was mine|on_me $ ; it|that was ~1 the wrong|a_wrong|a_bad call|choice|decision|thing_to_do")
        .stated()
        .why(OWN_WHY)
        .fires(&["It was my choice, and mine alone.", "That was entirely my fault."])
        .quiet(&["It wasn't my fault."]),
    rule(Responsibility, "responsibility.i_take", "i @resp_lead? @resp_lead? @resp_lead? take|accept|own|taking|accepting|owning|carry|bear|hold_myself ~2 responsibility|blame|ownership|accountability|accountable|it|that|this|what_i_did|my_part|my_actions|my_mistake|my_choices")
        .why(OWN_WHY)
        .fires(&["I take full responsibility for what I did.", "I own that."])
        .quiet(&["I don't take responsibility for her choices"]),
    rule(Responsibility, "responsibility.i_am_responsible", "i am|was @intensifier? responsible|accountable|wrong|at_fault|to_blame|in_the_wrong ; i am|was the one who|that ~1 @wrong_past")
        .why(OWN_WHY)
        .fires(&["I was wrong.", "I'm responsible for this."])
        .quiet(&["I'm not responsible for how you feel"]),
    rule(Responsibility, "responsibility.that_was_wrong", "that|it|what_i_did|this was|is @intensifier? wrong|unfair|cruel|selfish|unkind|inexcusable|not_okay|not_fair|not_ok|disrespectful|a_betrayal")
        .only(&[Apology, Owning])
        .why(OWN_WHY)
        .fires(&["That was wrong, and it was my choice."]),
    rule(Responsibility, "responsibility.no_excuse", "no excuse|excuses|justification ; not making excuses ; not going to make excuses ; will not make excuses ; not an excuse ; nothing justifies ; there is no reason ; no_one|nobody else? to blame but")
        .literal()
        .why(OWN_WHY)
        .fires(&["There is no excuse for what I did.", "I have no one to blame but myself"]),
    rule(Responsibility, "responsibility.i_chose", "i @intensifier? chose|decided|made_the_choice|made_the_decision|made_a_choice|made_a_decision|did_this|did_that|did_it")
        .why(OWN_WHY)
        .fires(&["I chose to lie to you."]),
    rule(Responsibility, "responsibility.should_not_have", "i should not|never have ; i should have ; i never should have ; i had no right")
        .literal()
        .why(OWN_WHY)
        .fires(&["I should have told you the truth.", "I shouldn't have hidden it"]),
    rule(Responsibility, "responsibility.not_your_fault", "not|never ~1 your fault ; none of this|it is|was ~1 your fault|on_you ; not on you ; you did nothing wrong|to_deserve ; you did|do not deserve ; nothing to do with you ; not because of you ; you are not to blame ; nothing you did")
        .literal()
        .why("Lifting the blame off your partner is part of owning it.")
        .fires(&["None of this was your fault.", "You did nothing to deserve this"]),
    rule(Responsibility, "responsibility.i_did_wrong", "i ~1 did|have_done|made something_wrong|wrong|a_mistake|a_terrible|a_huge|a_big|a_serious|a_stupid|a_selfish|mistakes")
        .why(OWN_WHY)
        .fires(&["I made a terrible mistake."]),

    // ---------------------------------------------------------------- regret
    rule(Regret, "regret.sorry", "i am|was @intensifier? @intensifier? sorry")
        .unless("late|delay|traffic|running|missed_your_call|wrong_number|typo|autocorrect|to_hear|for_your_loss", Scope::Sentence)
        .why(REGRET_WHY)
        .fires(&["I am so sorry.", "i'm truly sorry for lying"])
        .quiet(&["I'm not sorry."]),
    rule(Regret, "regret.bare_sorry", "^ so|very|truly|deeply? sorry !if|but|you")
        .unless("late|delay|traffic|running|missed_your_call|wrong_number|typo|autocorrect|to_hear|for_your_loss", Scope::Sentence)
        .why(REGRET_WHY)
        .fires(&["Sorry for lying to you."]),
    rule(Regret, "regret.apologize", "i @resp_lead? @resp_lead? @intensifier? apologi* ; my ~1 apologies")
        .why(REGRET_WHY)
        .fires(&["I apologize for what I did.", "I want to apologize"]),
    rule(Regret, "regret.regret", "i @intensifier? @intensifier? regret ; i ~1 feel|felt @intensifier? @intensifier? terrible|awful|horrible|sick|guilty|ashamed|bad|remorse* ; i am @intensifier? ashamed|remorseful")
        .why(REGRET_WHY)
        .fires(&["I deeply regret what I did.", "I feel terrible about it", "I'm ashamed of myself"]),
    rule(Regret, "regret.wish", "i wish i ~1 had|could|never|did|would")
        .why(REGRET_WHY)
        .fires(&["I wish I could take it back."]),

    // ---------------------------------------------------------------- acknowledgment
    rule(Acknowledgment, "acknowledgment.i_did", "i @ack_adv? @ack_adv? lied|cheated|hid|hidden|betrayed|deceived|flirted|ignored|stole|snooped|spied|violated|abandoned|neglected|dismissed|yelled|shouted|screamed|blamed|manipulated|gaslit|gaslighted|pretended|denied|misled|concealed|withheld|humiliated|embarrassed|disrespected|insulted|belittled|undermined|lashed|snapped|stonewalled|accused|mocked|kissed|slept|treated|stormed|exploded|crossed|gambled ; i @ack_adv? broke my|our|a|the|every ; i promised|swore|said_i_would ~6 but|and i did_not|never|broke|went ; i @ack_adv? let you down")
        .why(ACK_WHY)
        .fires(&["I lied to you about where I was.", "I hid the messages from you", "I broke my promise to you"])
        .quiet(&["I never lied to you.", "I went to the gym", "I didn't cheat", "I know how much I hurt you"]),
    rule(Acknowledgment, "acknowledgment.i_did_that", "i @ack_adv? @ack_adv? went|kept|took|chose|spent|texted|messaged|contacted|used|told|forgot|missed|skipped|read|checked|deleted|drank|left|went_through|met|saw|called|lost|broke")
        .only(&[Apology, Owning])
        .why(ACK_WHY)
        .fires(&["I spent the money we had saved without telling you."]),
    rule(Acknowledgment, "acknowledgment.what_i_did", "what i did|said ; what i have done ; my lies|lying|affair|cheating|betrayal|dishonesty|secrets|secrecy|actions|behaviour|behavior|words|deception|infidelity ; the lies i ; the things i said|did ; the way i treated ; how i treated ; the affair")
        .literal()
        .why(ACK_WHY)
        .fires(&["I'm sorry for what I did.", "My lies hurt you"]),

    // ---------------------------------------------------------------- impact
    rule(Impact, "impact.i_understand", "i @intensifier? @intensifier? know|understand|realize|realise|see|recognize|recognise|grasp|hear|sense ~7 @hurt ; know|understand|realize|realise|see how much ~3 meant|mattered|means|matters ~1 to you")
        .unless("you are stupid|you are crazy", Scope::Clause)
        .why(IMPACT_WHY)
        .fires(&["I know how much I hurt you.", "I understand that my lies made you doubt yourself", "I realise you felt completely alone"]),
    rule(Impact, "impact.imagine", "i can not? even? ~1 imagine ~6 @hurt|how|what")
        .literal()
        .why(IMPACT_WHY)
        .fires(&["I can't imagine how painful this has been for you"]),
    rule(Impact, "impact.i_hurt_you", "i @ack_adv? hurt|betrayed|humiliated|broke|destroyed|shattered|damaged|wounded|crushed|devastated|scared|frightened|embarrassed|failed|disappointed|deceived ~1 you|your")
        .why(IMPACT_WHY)
        .fires(&["I hurt you, and I broke your trust."]),
    rule(Impact, "impact.you_must_have", "you must ~1 have|be|feel|felt|been ~1 felt|feel|feeling|been|so|hurt|scared|alone")
        .why(IMPACT_WHY)
        .fires(&["You must have felt so alone."]),
    rule(Impact, "impact.must_have_been", "that|it|this must ~1 have? been|be|felt|feel ~2 @hurt|awful|hard|lonely|confusing|frightening|devastating|embarrassing")
        .why(IMPACT_WHY)
        .fires(&["That must have been humiliating."]),
    rule(Impact, "impact.made_you", "i ~1 made|left|caused you ~2 feel|feeling|to|question|doubt|wonder|alone|unsafe|scared|afraid|lonely|humiliated|crazy|small|worthless|insecure|hurt|cry|suffer")
        .why(IMPACT_WHY)
        .fires(&["I made you feel like you were crazy."]),
    rule(Impact, "impact.made_you_it", "it|that|this|my|which ~2 made|left|caused|forced you ~2 feel|feeling|question|doubt|wonder|alone|unsafe|scared|afraid|lonely|humiliated|crazy|small|worthless|insecure|hurt|cry|suffer")
        .why(IMPACT_WHY)
        .fires(&["My lying made you question everything."]),
    rule(Impact, "impact.pain_i_caused", "the ~1 pain|hurt|damage|harm|betrayal|humiliation|suffering|trauma|anguish|worry|stress ~1 that? i ~1 caused|brought|put|gave|inflicted ; put you through ; i have? caused you")
        .why(IMPACT_WHY)
        .fires(&["I am sorry for the pain I caused you.", "I put you through hell"]),
    rule(Impact, "impact.valid", "you ~1 have|had every right|reason ; your ~1 feelings|anger|pain|hurt|reaction ~3 valid|understandable|justified|fair|make_sense|makes_sense ; it makes ~1 sense that you ; of course you are|feel ; you deserve|deserved ~2 better|the_truth|honesty")
        .why("Telling your partner their feelings make sense helps them feel heard.")
        .fires(&["You have every right to be angry.", "Your feelings are completely valid"]),
    rule(Impact, "impact.trust", "broke|broken|betrayed|violated|shattered|damaged|lost|destroyed|betray ~1 your|our ~1 trust|heart|faith|confidence|marriage|relationship")
        .why(IMPACT_WHY)
        .fires(&["I broke your trust."]),

    // ---------------------------------------------------------------- change
    rule(Change, "change.from_now_on", "from now on ; going|moving forward ; from today ; starting today|now ; from this day ; in the? future i ; never again ; will never|not happen again")
        .literal()
        .why(CHANGE_WHY)
        .fires(&["From now on, I'll tell you where I am.", "It will never happen again."]),
    rule(Change, "change.i_will", "i @intensifier? will|shall|promise|commit|vow|pledge|am_going|intend|plan|am_committed|am_committing ~3 never|not|no_longer|stop|always|make_sure|be_more|be_honest|work_on|change|do_better|be_better|keep|check_in|be_transparent|be_open|learn|prove|be_there|spend|end|cut|block|delete|say_so|tell_you_when|come_home|call_you|text_you")
        .only(&[Apology, Owning])
        .why(CHANGE_WHY)
        .fires(&["I will be honest with you, even when it's hard.", "I promise to check in every evening"]),
    rule(Change, "change.i_will_message", "i @intensifier? will|promise|commit|am_going ~2 no_longer|do_better|be_better|work_on|change|never_do|never_lie|never_hide|stop_lying|stop_hiding|be_more_honest|be_honest|be_transparent|be_more_present|try_harder|learn")
        .why(CHANGE_WHY)
        .fires(&["I'll work on listening better."]),
    rule(Change, "change.wont_again", "i ~1 will|would|am ~1 not|never ~4 again")
        .unless("warning|say_it|tell_you|ask|repeat", Scope::Sentence)
        .literal()
        .why(CHANGE_WHY)
        .fires(&["I won't ever do that again."]),
    rule(Change, "change.have_started", "i ~1 started|begun|stopped|ended|blocked|deleted|cut|quit|booked|joined|signed|made|found|asked|changed|removed ~3 therapy|therapist|counsel*|contact|number|account|accounts|app|appointment|group|program|programme|meeting|meetings|her|him|it|ties|sessions|things_off|drinking|gambling|passwords|password|phone|profile|dating|apps|messages|photos")
        .only(&[Apology, Owning])
        .why(CHANGE_WHY)
        .fires(&["I've blocked her number and deleted the app.", "I have started seeing a therapist"]),
    rule(Change, "change.next_time", "next_time|from_now_on|in_future|going_forward|from_today ~6 i will|am_going ; i will ~6 instead of")
        .why(CHANGE_WHY)
        .fires(&["Next time I'm upset I'll say so instead of going quiet."]),
    rule(Change, "change.want_to_change", "i ~2 want|need|ready|determined|trying|learning ~1 to? change|be_better|do_better|become|grow|work_on|learn|be_the_partner|be_someone")
        .why(CHANGE_WHY)
        .fires(&["I want to be the partner you deserve."]),
    rule(Change, "change.working_on", "i am ~2 working_on|learning|in_therapy|seeing_a|going_to_therapy|going_to_counsel*|getting_help|taking_steps")
        .why(CHANGE_WHY)
        .fires(&["I'm working on my temper with a counsellor."]),

    // ---------------------------------------------------------------- repair
    rule(Repair, "repair.what_can_i_do", "what|how can|could|should|do|would|will i ~2 make|help|earn|fix|repair|rebuild|regain|win|show|prove|do_to|do_for|support|start ; what|how can|could|should i do $ ; what can|could i do ~2 for you|to help|now")
        .why(REPAIR_WHY)
        .fires(&["What can I do to make this right?", "How can I earn back your trust?", "What can I do?"]),
    rule(Repair, "repair.anything_i_can", "is there anything|something i can|could do ; tell|let me ~2 what you need ; what do you need from me ; what would help|make ; whatever you need|helps ; whatever it takes ; anything you need")
        .literal()
        .why(REPAIR_WHY)
        .fires(&["Tell me what you need from me.", "I'll do whatever it takes"]),
    rule(Repair, "repair.make_it_right", "make|making|set|put ~2 right|amends|up_to_you")
        .why(REPAIR_WHY)
        .fires(&["I want to make it up to you.", "I'll make amends"]),
    rule(Repair, "repair.rebuild", "earn|rebuild|regain|restore|win|repair|re-earn|earning|rebuilding|regaining ~2 your|our|the|back ~1 trust|faith|confidence|relationship|marriage|us")
        .why(REPAIR_WHY)
        .fires(&["I will work every day to earn your trust back."]),
    rule(Repair, "repair.willing", "i am @intensifier? willing|ready|happy|prepared|open ~1 to ~2 answer|show|share|go|see|attend|open|give|do|talk|hear|listen|change|work|try|be")
        .why(REPAIR_WHY)
        .fires(&["I'm willing to go to counselling with you."]),
    rule(Repair, "repair.answer_questions", "answer ~2 any|every|all|whatever|your|anything|everything ~1 question*|you|to|ask ; ask me anything|any_question|whatever ; tell me everything|anything|what_you_need ; take all the time you need ; whenever|when you are ready ~5 i will|am ~2 listen|here|talk|ready ; the least i can do ; i will|am_going_to|want_to|can|let_me ~1 pay|cover|replace|fix|clean|handle ~1 for|it|the")
        .why(REPAIR_WHY)
        .fires(&["I'll answer any question you have, honestly."]),
    rule(Repair, "repair.let_me", "let me ~2 make|show|prove|help|fix|earn|try|repair|carry|take|do|handle|cook|clean|pick")
        .why(REPAIR_WHY)
        .fires(&["Let me show you I've changed."]),
    rule(Repair, "repair.therapy", "couples ~1 therapy|counseling|counselling|counselor|counsellor|therapist|retreat")
        .why(REPAIR_WHY)
        .fires(&["Would you be open to couples counselling?"]),

    // ---------------------------------------------------------------- forgiveness
    rule(ForgivenessRequest, "forgiveness.forgive_me", "forgive|forgiving|pardon me|us ; your forgiveness ; you ~2 forgive ; give me|us ~1 another|second|one_more|a chance ; take me back")
        .why(FORGIVE_WHY)
        .fires(&["Can you ever forgive me?", "I hope one day you'll forgive me", "Please give me another chance"])
        .quiet(&["I will never forgive you"]),
];
