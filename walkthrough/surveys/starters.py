"""Suggested questions a new survey can start from, one set per kind. About the session or the need, never
about a person, and each one a survey's owner may remove or add to before sending."""

from .models import QuestionKind, SurveyKind

STARTERS: dict[SurveyKind, list[dict]] = {
    SurveyKind.EXIT_SLIP: [
        {
            "kind": QuestionKind.SCALE,
            "prompt": "How useful was this session for your practice?",
            "choices": ["Not useful", "Very useful"],
            "required": True,
        },
        {"kind": QuestionKind.TEXT, "prompt": "What will you try in your classroom next?"},
        {"kind": QuestionKind.TEXT, "prompt": "What questions do you still have?"},
    ],
    SurveyKind.NEEDS_ASSESSMENT: [
        {
            "kind": QuestionKind.CHOICE,
            "prompt": "Which would help your practice most this year?",
            "required": True,
            "choices": [
                "Observing colleagues",
                "Being observed and talking it over",
                "Coaching on a goal",
                "Time to plan with colleagues",
                "Help with technology",
            ],
        },
        {
            "kind": QuestionKind.SCALE,
            "prompt": "How comfortable are you having colleagues visit your class?",
            "choices": ["Not comfortable", "Very comfortable"],
        },
        {
            "kind": QuestionKind.CHOICE,
            "prompt": "When does professional learning suit you best?",
            "choices": ["During contract time", "After school", "In the summer", "Online, at my own pace"],
        },
        {"kind": QuestionKind.TEXT, "prompt": "What else should professional learning offer you?"},
    ],
    SurveyKind.PLC_SELF_ASSESSMENT: [
        {
            "kind": QuestionKind.SCALE,
            "prompt": "Our PLC sets shared goals from student data.",
            "choices": ["Not yet", "Always"],
            "required": True,
        },
        {
            "kind": QuestionKind.SCALE,
            "prompt": "Our PLC looks at student work together.",
            "choices": ["Not yet", "Always"],
            "required": True,
        },
        {
            "kind": QuestionKind.SCALE,
            "prompt": "Our PLC's norms make it safe to share what isn't working.",
            "choices": ["Not yet", "Always"],
            "required": True,
        },
        {"kind": QuestionKind.TEXT, "prompt": "What would help our PLC grow next?"},
    ],
    SurveyKind.FEEDBACK: [
        {
            "kind": QuestionKind.SCALE,
            "prompt": "How well did this meet your needs?",
            "choices": ["Not at all", "Completely"],
            "required": True,
        },
        {"kind": QuestionKind.TEXT, "prompt": "What should we keep, and what should we change?"},
    ],
}
