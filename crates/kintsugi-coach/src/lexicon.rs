//! Named word classes the rules are written with, and the small word lists
//! the engine itself needs (negation, English function words).

/// The members of a class, as an alternation the pattern parser reads.
pub fn class(name: &str) -> Option<&'static str> {
    Some(match name {
        "intensifier" => "so|such|really|very|totally|completely|truly|always|just|too|a|an|the|being|acting|incredibly|utterly|absolutely|unbelievably|pretty|quite|fucking|freaking|damn|bloody|seriously|honestly|literally|kind|sort|of|little|bit|most|entirely|solely|deeply|sincerely|genuinely|profoundly|bitterly|all|100",
        // Words for a person's character rather than an act.
        "trait" => "selfish|lazy|careless|inconsiderate|irresponsible|immature|unreliable|thoughtless|cold|heartless|rude|controlling|needy|clingy|insecure|dramatic|paranoid|crazy|insane|impossible|useless|hopeless|negligent|self-centered|self-centred|self-absorbed|narcissistic|arrogant|stubborn|mean|cruel|dishonest|untrustworthy|manipulative|toxic|ungrateful|unbearable|incompetent|clueless|spoiled|spoilt|childish|petty|jealous|possessive|obsessive|hysterical|neurotic|difficult|exhausting|annoying|irritating|impatient|disrespectful|uncaring|unfeeling|insensitive|lying|liar|cheater|cheat|nag|slob|mess|failure|disappointment|coward|cowardly|weak|spineless|fake|two-faced|bossy|judgmental|critical|cheap|stingy|greedy|flaky|flake|forgetful|sloppy|messy|hypocrite|hypocritical",
        // Words that insult or look down on a person.
        "insult" => "stupid|idiot|idiotic|dumb|moron|moronic|pathetic|disgusting|loser|worthless|fool|foolish|imbecile|retard|retarded|jerk|ass|asshole|bitch|bastard|dick|prick|pig|psycho|freak|joke|clown|waste|trash|garbage|scum|sad|embarrassing|embarrassment|ridiculous|laughable|brainless|dense|thick|simple|dimwit|halfwit|creep|creepy|vile|repulsive|revolting|gross|sick|nuts|deranged|delusional|child|baby|princess|drama|queen|snowflake|nothing",
        // Acting on one's partner, for blame and impact.
        "made" => "made|make|makes|drove|drive|drives|pushed|push|pushes|forced|force|forces|led|lead|leads",
        // Hurt, said of its effect.
        "hurt" => "exhausted|overwhelmed|pressure|stress*|alone|humiliating|scary|terrifying|painful|hurt*|pain*|betray*|humiliat*|devastat*|crush*|broke|broken|break|shatter*|destroy*|damag*|wound*|scar*|trauma*|harm*|suffer*|ache*|aching|lonely|abandon*|rejected|unsafe|scared|afraid|fear*|doubt*|question*|unwanted|invisible|disrespect*|deceived|lied|stupid|small|worthless|foolish|crazy|insecure|trust|sad|angry|anger|anxious|anxiety|grief|grieve|cry|cried|crying|tears|nightmare*",
        // Feelings a person can own.
        "feeling" => "lucky|blessed|hurt|sad|angry|mad|upset|scared|afraid|frightened|anxious|worried|lonely|alone|tired|exhausted|overwhelmed|confused|lost|ashamed|guilty|embarrassed|jealous|insecure|frustrated|disappointed|betrayed|unsafe|safe|ignored|invisible|unheard|dismissed|rejected|unloved|loved|happy|glad|grateful|thankful|relieved|hopeful|hopeless|nervous|uneasy|torn|heartbroken|devastated|humiliated|disconnected|connected|close|distant|vulnerable|raw|numb|resentful|furious|calm|peaceful|excited|proud|uncertain|unsure|shaky|fragile|small|unimportant|unwanted|abandoned|neglected|left|shut|out|terrified|helpless|powerless|stressed|drained|empty|miserable|down|low|heavy|hurting|grieving|uncomfortable",
        // Feelings after "I am"/"I was", without words that also mean
        // something else there ("I'm out", "I was left").
        "feeling_strict" => "lucky|blessed|hurt|sad|angry|mad|upset|scared|afraid|frightened|anxious|worried|lonely|tired|exhausted|overwhelmed|confused|ashamed|guilty|embarrassed|jealous|insecure|frustrated|disappointed|betrayed|unsafe|ignored|invisible|unheard|dismissed|rejected|unloved|happy|glad|grateful|thankful|relieved|hopeful|hopeless|nervous|uneasy|torn|heartbroken|devastated|humiliated|disconnected|vulnerable|numb|resentful|furious|calm|excited|proud|uncertain|unsure|fragile|unimportant|unwanted|abandoned|neglected|terrified|helpless|powerless|stressed|drained|miserable|hurting|grieving|uncomfortable",
        // Verbs of wrongdoing in the past tense, for naming what one did.
        "wrong_past" => "lied|cheated|hid|hidden|broke|betrayed|deceived|kept|texted|messaged|met|slept|flirted|ignored|hurt|chose|stole|snooped|spied|violated|abandoned|neglected|dismissed|yelled|shouted|screamed|blamed|manipulated|gaslit|gaslighted|covered|pretended|denied|misled|concealed|withheld|humiliated|embarrassed|disrespected|insulted|belittled|criticized|criticised|undermined|crossed|went|saw|contacted|called|spent|gambled|drank|used|took|made|left|forgot|missed|failed|let|walked|shut|stonewalled|stormed|accused|lashed|snapped|exploded|read|checked|sent|deleted|lost",
        // Words that may stand between "I" and a verb of owning it.
        "resp_lead" => "am|will|want|to|need|have|fully|completely|totally|really|truly|do|must|now|here|would|like|just|sincerely|deeply|wholeheartedly|100|take|accept|also",
        // Adverbs between "I" and what I did.
        "ack_adv" => "also|really|deliberately|repeatedly|knowingly|then|have|had|actually|did|completely|totally|badly|and|selfishly|secretly|cruelly|carelessly|intentionally|seriously|deeply|just",
        _ => return None,
    })
}

/// Words that negate what follows within their clause.
pub const NEGATORS: &[&str] = &[
    "not", "never", "no", "nobody", "neither", "nor", "hardly", "without",
];

/// Verbs of thinking and saying that carry a negation into the clause
/// they introduce: "I don't think you're lazy".
pub const HEDGES: &[&str] = &[
    "think",
    "believe",
    "mean",
    "saying",
    "say",
    "said",
    "meant",
    "calling",
    "call",
    "suggesting",
    "implying",
    "want",
    "wanted",
];

/// Common English function words: a text of several words with none of
/// them is not English, and the coach says so instead of guessing.
pub const ENGLISH: &[&str] = &[
    "i", "you", "he", "she", "we", "they", "it", "me", "my", "your", "our", "us", "them", "the",
    "a", "an", "and", "or", "but", "not", "no", "to", "of", "in", "on", "at", "for", "with", "is",
    "am", "are", "was", "were", "be", "been", "do", "did", "does", "have", "has", "had", "will",
    "would", "can", "could", "should", "that", "this", "what", "why", "how", "when", "where",
    "who", "if", "so", "just", "all", "always", "never", "really", "sorry", "love", "feel", "know",
    "want", "need", "like", "think", "because", "about", "from", "there", "here", "then", "than",
    "too", "very", "please", "thank", "thanks", "ok", "yes", "yeah", "whatever", "fine", "again",
    "home", "today", "tonight", "now", "let", "us", "him", "her", "his", "hers", "yours", "mine",
    "myself", "yourself", "one", "go", "get", "got", "said", "say", "tell", "told", "time", "by",
    "up", "out", "over", "done", "make", "made", "talk", "hi", "hey", "dear", "babe", "honey",
    "oh", "well", "lol", "omg",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_list_each_word_once() {
        for name in [
            "intensifier",
            "trait",
            "insult",
            "made",
            "hurt",
            "feeling",
            "feeling_strict",
            "wrong_past",
            "resp_lead",
            "ack_adv",
        ] {
            let members: Vec<&str> = class(name).expect("the class exists").split('|').collect();
            let mut sorted = members.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), members.len(), "@{name} lists a word twice");
        }
    }
}
