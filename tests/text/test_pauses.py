"""Where a Hindi reader pauses: the ranking of the places between words, as tables."""

from __future__ import annotations

import pytest

from narrate.text.pauses import FORBIDDEN, core, is_number, place, places


def _at(marked: str) -> tuple[list[str], int]:
    """The words of ``marked`` and the index of the word after the ``‖`` in it."""
    before, after = marked.split(" ‖ ")
    words = before.split() + after.split()
    return words, len(before.split())


#: Places no reader pauses at, each with what it would tear apart.
NEVER = [
    # a word and its postposition, a compound postposition, an auxiliary
    "विवाद को ‖ लेकर दोनों पक्षों में बहस हुई",
    "उड़ानों को जयपुर और लखनऊ की ‖ ओर मोड़ना पड़ा",
    "अस्पताल में उनका निधन हो ‖ गया",
    "नई खुराक को शामिल किया ‖ जाएगा",
    "किसानों ‖ को राहत मिली",
    "मांग ‖ वाली याचिकाओं पर सुनवाई",
    # a genitive and its noun
    "जम्मू-कश्मीर को राज्य का ‖ दर्जा बहाल करने की मांग",
    # a number and its unit, a range, a date
    "श्रीलंका की टीम 48.3 ‖ ओवर में सिमट गई",
    "बारिश 115.6 से ‖ 204.4 मिमी तक हो सकती है",
    "सुनवाई 18 नवंबर ‖ 2025 को होगी",
    "कोरोमंडल एक्सप्रेस ‖ (12841) के छह डिब्बे पटरी से उतरे",
    "फोन के 12GB+256GB ‖ वेरिएंट की कीमत",
    "गठबंधन ने बहुमत ‖ (41) का आंकड़ा पार किया",
    "लागत ढाई हजार ‖ करोड़ रुपये थी",
    # inside a name: an initial, an abbreviation, a title
    "युवा बल्लेबाज वी. ‖ नारायणन की नाबाद पारी",
    "पूर्व कप्तान एम.एस. ‖ धोनी की सलाह",
    "मेसर्स सनराइज इंफ्राटेक प्रा. ‖ लि. के निदेशकों को",
    "कोच ‖ राहुल द्रविड़ और धोनी",
    "डॉ. ‖ राजीव धवन ने दलील दी",
    # और/या/तथा joining two words or phrases
    "उड़ानों को जयपुर ‖ और लखनऊ की ओर मोड़ा गया",
    "भारत ने तीसरे ‖ और निर्णायक मैच में जीत दर्ज की",
    "पीने का पानी उबालकर ‖ या फिल्टर करके इस्तेमाल करें",
    "दस अतिरिक्त टीमें ‖ तथा वायुसेना के हेलीकॉप्टर",
    # a piece never ends on a conjunction or a word that modifies the next
    "उन्होंने कहा कि ‖ वह आएंगे",
    "लोग और ‖ जानवर दोनों",
    "इस ‖ सत्र में बारह विधेयक",
    "करीब ‖ 40 उड़ानें देर से रवाना हुईं",
    "इलाज का खर्च नहीं ‖ उठाना पड़ेगा",
]


@pytest.mark.parametrize("marked", NEVER)
def test_places_no_reader_pauses_at(marked: str) -> None:
    words, i = _at(marked)
    assert place(words, i).cost >= FORBIDDEN


#: Good places, with what a cut there is heard as.
GOOD = [
    ("भारी बारिश का अनुमान जताया है, ‖ इसलिए लोगों को सतर्क रहने की सलाह दी गई है", "clause"),
    ("स्कूल बंद रहेंगे; ‖ परीक्षाएं टाल दी गई हैं", "clause"),
    ('नारायणन ने कहा, ‖ "मैं बस टिका रहना चाहता था"', "clause"),
    ("प्रसिद्ध कथाकार रामकुमार वर्मा ‖ (1938-2026) का निधन", "clause"),
    ("कर्मचारियों की संख्या 5,591 बढ़कर ‖ 3,23,379 हो गई", "phrase"),
    ("मैं बस क्रीज पर टिका रहना चाहता था... ‖ रन अपने आप आते गए", "clause"),
    ("संवाददाताओं से कहा ‖ कि सरकार बारह विधेयक लाएगी", "phrase"),
    ("सरकार ने घोषणा की ‖ जिससे किसानों को राहत मिलेगी", "phrase"),
    ("भारत की शुरुआत खराब रही ‖ और कप्तान जल्दी आउट हो गए", "phrase"),
    ("सुनवाई करते हुए ‖ केंद्र सरकार से जवाब मांगा", "phrase"),
    ("श्रीलंका को छह विकेट से हराकर ‖ सीरीज अपने नाम कर ली", "phrase"),
    ("सुप्रीम कोर्ट ने ‖ केंद्र सरकार से जवाब मांगा", "phrase"),
    ("तीन दिन की बैठक के बाद ‖ रेपो दर घटाई गई", "phrase"),
    ("मौसम विभाग के मुताबिक ‖ अगले दो दिन बारिश होगी", "phrase"),
    ("विवाद को लेकर ‖ दोनों पक्षों में बहस हुई", "phrase"),
    ("भारत की ओर से ‖ कुलदीप यादव ने चार विकेट लिए", "phrase"),
    ("उत्तराखंड के चार जिलों में ‖ भारी बारिश की चेतावनी है", "phrase"),
    ("प्रदूषण पर सख्ती बढ़ाई गई ‖ निर्माण रोका गया", "word"),
]


@pytest.mark.parametrize(("marked", "kind"), GOOD)
def test_good_places_and_what_a_cut_there_is_heard_as(marked: str, kind: str) -> None:
    words, i = _at(marked)
    found = place(words, i)
    assert found.cost < FORBIDDEN
    assert found.kind == kind


def _cost(marked: str) -> int:
    words, i = _at(marked)
    return place(words, i).cost


def test_the_ranking_follows_grammar() -> None:
    """Punctuation, then a clause opener, then two clauses joined after a verb, then the
    end of the agent's phrase, then another postposition, then any word."""
    ranked = [
        "अनुमान जताया है, ‖ इसलिए लोग सतर्क रहें",
        "संवाददाताओं से कहा ‖ कि सरकार बारह विधेयक लाएगी",
        "भारत की शुरुआत खराब रही ‖ और कप्तान जल्दी आउट हो गए",
        "सुप्रीम कोर्ट ने ‖ केंद्र सरकार से जवाब मांगा",
        "उत्तराखंड के चार जिलों में ‖ भारी बारिश की चेतावनी है",
        "प्रदूषण पर सख्ती बढ़ाई गई ‖ निर्माण रोका गया",
    ]
    costs = [_cost(m) for m in ranked]
    assert costs == sorted(costs) and len(set(costs)) == len(costs), costs


def test_a_list_comma_is_a_weaker_place_than_a_clause_comma() -> None:
    assert _cost("देहरादून, ‖ टिहरी, पौड़ी और चमोली जिलों में बारिश") > _cost(
        "बारिश की चेतावनी जारी की है, ‖ जिसके बाद स्कूल बंद किए गए"
    )


def test_a_predicate_stays_with_its_clause() -> None:
    """A cut that leaves the next piece only the clause's verb costs more than the same
    postposition elsewhere (the issue's "अस्पताल में" | "निधन हो गया।")."""
    stranded = "उनका एम्स के ट्रॉमा सेंटर में ‖ निधन हो गया।"
    free = "उनका एम्स के ट्रॉमा सेंटर में ‖ इलाज के दौरान निधन हो गया।"
    words, i = _at(stranded)
    words2, k = _at(free)
    assert places(words)[i].cost > places(words2)[k].cost


@pytest.mark.parametrize(
    ("word", "expected"),
    [("48.3", True), ("1,200", True), ("2-1", True), ("₹4,250", True), ("हजार", True),
     ("दस", True), ("१९४७", True), ("5G", False), ("ओवर", False), ("कि.मी.", False),
     ("12GB", True), ("5,000mAh", True), ("12GB+256GB", True), ("120Hz", True), ("G20", False)],
)
def test_is_number(word: str, expected: bool) -> None:
    assert is_number(word) is expected


def test_core_strips_what_is_around_a_word() -> None:
    assert core('"लेकिन') == "लेकिन"
    assert core("गए,\"") == "गए"
    assert core("था...") == "था"
    assert core("वी.") == "वी."  # the dot of an initial is the word's own
