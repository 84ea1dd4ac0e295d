"""The phone's bottom bar: every label reads whole on the narrowest phones, whichever place is current."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

# Words of the bar's labels that the browser split across two lines ("Caseloa" over "d").
BROKEN_WORDS = """
() => {
  const broken = [];
  for (const label of document.querySelectorAll('.tabbar__places > li > a, .tabbar summary')) {
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (range.getClientRects().length > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize(
    "who",
    [
        "maya.ortiz@district.example",  # teacher
        "sam.rivera@district.example",  # coach
        "dana.whitfield@district.example",  # admin
        "alex.kim@district.example",  # substitute
    ],
)
def test_no_label_of_the_bottom_bar_breaks_inside_a_word(phone, who):
    sign_in(phone, who)
    places = phone.eval_on_selector_all(".tabbar__places > li > a", "links => links.map(a => a.pathname)")
    assert len(places) == 4
    for width in (320, 360):
        phone.set_viewport_size({"width": width, "height": 700})
        for place in places:
            phone.goto(place)  # the current place is drawn bold, the widest its label gets
            assert phone.locator('.tabbar__places > li > a[aria-current="page"]').count() == 1, place
            assert phone.evaluate(BROKEN_WORDS) == [], f"{place} at {width} px"
