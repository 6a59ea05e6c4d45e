"""Page chrome that rendered-text pages carry, by the words sites use for it.

Three kinds, because each ends differently:
- `CHROME` lines are dropped wherever they are (search boxes, ads, share buttons).
- `RELATED` headers open a box of other headlines: the short lines after them go too.
- `ARTICLE_END` lines (tags, source, disclaimer, copyright) close the article: anything
  after them belongs to another story or the footer.
"""

from __future__ import annotations

import re


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I)


CHROME = _any(
    r"^(search|close this search box\.?|menu|skip to (main )?content|advertisements?|ad)$",
    r"^(بحث|إغلاق|اغلاق|إعلان|اعلان|إعلانات|اعلانات|القائمة|الرئيسية)$",
    r"^(share|tweet|print|email|facebook|twitter|x|whatsapp|telegram|linkedin|instagram|"
    r"youtube|pinterest|reddit|copy link)$",
    r"^(شارك|مشاركة|طباعة|الفيس ?بوك|فيسبوك|فيس بوك|تويتر|واتساب|واتس ?اب|تيليجرام|تلغرام|"
    r"تليجرام|لينكدإن|انستغرام|إنستغرام|يوتيوب|نسخ الرابط)$",
    r"pic\.twitter\.com/|https?://t\.co/",
    r"^[—–-]\s*.{1,80}\(@\w+\)\s.{0,40}\d{4}$",  # embedded tweet signature
    r"^https?://\S+$",
    r"^[\W\d_]+$",  # only punctuation and numbers
)

RELATED = _any(
    r"^(اقرأ|إقرأ|أقرأ) ?(المزيد|أيضا|أيضاً|ايضا|ايضاً)\s*:?$",
    r"^(أخبار|اخبار|مواضيع|مقالات|موضوعات) (ذات صلة|متعلقة|مشابهة|مشابهه|أخرى)\s*:?$",
    r"^(قد )?(تقرأ|يهمك|يعجبك) (أيضا|أيضاً|ايضا)\s*:?$",
    r"^(قد يهمك|الأكثر قراءة|الأكثر مشاهدة|أحدث المقالات|آخر الأخبار|أهم الأخبار|شاهد أيضا)\s*:?$",
    r"^(read more|read also|also read|related( articles| stories| news| posts)?|"
    r"you may also like|more from .{1,40}|more stories|most read|most popular|"
    r"latest news|recommended( for you)?|see also|trending)\s*:?$",
)

ARTICLE_END = _any(
    r"^(كلمات دلالية|الكلمات الدلالية|الوسوم|وسوم|tags|topics)\s*:",
    r"^(المصدر|source)\s*:\s*.{1,60}$",
    r"(المقالة|المقال) تعبر (فقط )?عن رأي",
    r"جميع الحقوق محفوظة|all rights reserved|©|copyright \d{4}",
)
