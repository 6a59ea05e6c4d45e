"""Page chrome that rendered-text pages carry, by the words sites use for it.

Kinds, by how each ends:
- `CHROME` lines are dropped wherever they are (search boxes, ads, share buttons), and
  so are the lines of embedded posts (`is_chrome`).
- `RELATED` headers open a box of other headlines: the short lines after them go too.
  A `TEASER` (the header and one headline on one line) goes alone.
- `ARTICLE_END` lines (tags, disclaimer, copyright, terms of use, readers' comments)
  close the article: anything after them belongs to another story or the footer. So do
  `STORY_CLOSED` notices (a paywall's, the box asking readers to report a typo), which
  the HTML path's end matter also cuts at wherever they stand (`ends_article`,
  `story_closed`). A `SOURCE_LINE` closes it only where the text after it does not go
  on with the story.
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
    r"^[—–-]\s*.{1,80}\(@\w+\)\s.{0,40}\d{4}$",  # embedded tweet signature
    r"^https?://\S+$",
    r"^[\W\d_]+$",  # only punctuation and numbers
    # A sign-up form's fields and its builders' default replies (Webflow's), on every
    # page of the sites built with them: "Email Address", "Email(Required)", "Thank
    # you! Your submission has been received!"
    r"^(your )?e-?mail( address)?\s*(\(required\)|\*)?\s*:?$|^captcha$",
    r"^thank you!? your submission has been received!?$|"
    r"^oops!? something went wrong while submitting the form\.?$",
    r"^.{0,40}©.{0,60}$",  # a photo credit
    # A picture's credit under it: "Photo: Meg Kinnard, AP", "Image credit: Eurogamer",
    # "(AP Photo/Evan Vucci)", "الصورة: رويترز". Nearly never part of the story's text.
    r"^(photos?|photograph|images?|pictures?|(photo|image|picture) (credit|source)|credits?|"
    r"fotos?|фото|صورة|الصورة|تصوير|عدسة)\s*(by)?\s*[:：]\s*.{1,80}$",
    r"^\(?(AP|AFP|Reuters|Getty Images|EPA|Anadolu|Xinhua)( Photo)?\s*/.{1,60}\)?$",
    r"^\(?صورة (أرشيفية|ارشيفية|من الأرشيف)\)?$",
    # A Chinese site's footer: its licence numbers and the link to report illegal content
    # ("京ICP备13028878号-6", "京公网安备11010502032503号", "互联网新闻信息服务许可证…").
    r"ICP[备证]|公网安备|许可证\s*[\d(（]|网文\s*[\[［(（]\d{4}|违法和不良信息举报",
)

# An embedded post's link ("pic.twitter.com/…", "https://t.co/…") marks the line that
# holds the post, wherever in the line it stands. A line longer than any post with its
# signature is a text whose paragraphs lost their breaks, and the post one sentence of
# many in it: dropping that line loses the story (SemEval's Arabic articles written as
# one line each: 5 of 120 lost whole). Posts in the bench sets' texts: 30–345 characters.
EMBEDDED_POST = re.compile(r"pic\.twitter\.com/|https?://t\.co/", re.I)
EMBEDDED_POST_MAX_CHARS = 600


def is_chrome(line: str) -> bool:
    """Whether a line (a paragraph of a text page, or of an extraction) is chrome."""
    return bool(CHROME.search(line)) or (
        len(line) <= EMBEDDED_POST_MAX_CHARS and bool(EMBEDDED_POST.search(line)))


# The labels of boxes of other stories' headlines, in the languages sites use: the
# boxes are the same on every site, whatever its language.
_RELATED_LABELS = (
    r"(اقرأ|إقرأ|أقرأ) ?(المزيد|أيضا|أيضاً|ايضا|ايضاً)",
    r"(أخبار|اخبار|مواضيع|مقالات|موضوعات) (ذات صلة|متعلقة|مشابهة|مشابهه|أخرى)",
    r"(قد )?(تقرأ|يهمك|يعجبك) (أيضا|أيضاً|ايضا)",
    r"قد يهمك|الأكثر قراءة|الأكثر مشاهدة|أحدث المقالات|آخر الأخبار|أهم الأخبار|شاهد أيضا",
    r"read more|read also|also read|read (this |these )?next|what to read next|"
    r"up next|related( articles| stories| news| posts|"
    r" reads| content| coverage)?|you (may|might) also like|you (may|might) be interested in|"
    r"more from .{1,40}|more stories|more on this story|most read|most popular|popular now|"
    r"latest news|recommended( for you| stories)?|see also|see more|trending|don'?t miss",
    r"(à )?(lire|voir) aussi|sur le même sujet|articles? (similaires|liés|connexes)|"
    r"les plus lus|vous (aimerez|pourriez) aussi|(à|a) découvrir aussi",
    r"(lee|lea|leer|ver|vea) también|(también )?te puede interesar|quizás te interese|"
    r"(noticias|artículos) relacionad[oa]s|lo más (leído|visto)|más noticias",
    r"(leia|veja) (também|mais)|(você )?(também )?pode gostar|saiba mais|"
    r"(notícias|artigos|matérias) relacionad[oa]s|mais lid[oa]s",
    r"lesen sie (auch|mehr)|auch interessant|das könnte sie auch interessieren|"
    r"mehr zum thema|(weitere|ähnliche|verwandte) (artikel|nachrichten|beiträge)|meistgelesen",
    r"leggi anche|(ti )?potrebbe (anche )?interessarti|(articoli|notizie) correlat[ei]|"
    r"i più letti|altre notizie",
    r"(читайте|читать|смотрите) (также|еще|ещё)|по теме|(новости|статьи) по теме|"
    r"похожие (новости|статьи|материалы)|самое (читаемое|популярное)|другие новости",
    r"ilgili (haberler|içerikler)|ayrıca (okuyun|bakınız)|bunlar da ilginizi çekebilir|"
    r"en çok okunanlar|benzer haberler",
    r"baca (juga|selengkapnya)|(berita|artikel) terkait|terpopuler",
    r"بیشتر بخوانید|اخبار مرتبط|مطالب مرتبط|پربازدیدترین|مزید پڑھیں|متعلقہ خبریں",
    r"相关新闻|相关文章|相关阅读|延伸阅读|推荐阅读|热门文章|関連記事|あわせて読みたい|"
    r"人気記事|こちらもおすすめ|関連キーワード|관련 ?기사|많이 본 (뉴스|기사)|인기 ?기사",
)
_RELATED_LABEL = "|".join(f"(?:{label})" for label in _RELATED_LABELS)

# A header ends with nothing, a colon, or dots ("Você pode gostar...").
RELATED = re.compile(rf"^(?:{_RELATED_LABEL})[\s:.…]*$", re.I)

# One other story's headline behind such a label, on a line of its own: "READ MORE:
# Should you offer green cleaning services?", "اقرأ أيضا: ...". A link to elsewhere,
# never the story's text, in the HTML path's paragraphs as on text pages.
TEASER = re.compile(rf"^(?:{_RELATED_LABEL})\s*[:：|]\s*\S.{{0,200}}$", re.I)

# Page furniture that trafilatura keeps inside a story's text, a line of its own
# wherever it stands: a table of contents' heading (its entries, being links, are
# dropped; the heading stays), the reading time, a lone label, an update stamp
# (`furniture`). Narrow on purpose: the HTML path keeps what `CHROME` drops on text
# pages (a table's figures, an embedded tweet's signature, a link), and those are as
# often the story's text. (WCXB dev and ScrapingHub: 97 such lines outside the gold
# texts, 8 in them.)
FURNITURE = _any(
    r"^(table of contents?|contents|jump to( a)? section|in this (article|post|guide)|"
    r"on this page|inhaltsverzeichnis|inhalt|sommaire|índice|indice|contenidos?|inhoud|"
    r"содержание|目次|目录|目錄|المحتويات|جدول المحتويات)\s*[:：]?$",
    r"^(.{0,40}[•|·-]\s*)?\d+\s*(min(ute)?s?\.?)\s*read$|"
    r"^(estimated )?reading time\s*:?\s*(\d+\s*min(ute)?s?)?$|"
    r"^\d+\s*min(\.|uten?)?\s*(lesezeit|de lecture|de lectura|di lettura|leestijd)$|"
    r"^(lesezeit|temps de lecture|tiempo de lectura)\s*:?\s*\d+\s*min.{0,8}$",
    r"^(advertisements?|anzeige|publicité|publicidad|sponsored|share( this( post| article| "
    r"story)?)?|tags?|post tags|subscribe|newsletter|related topics|back to top|blog)\s*:?$",
)
_STAMP = re.compile(
    r"^((last )?(updated|modified|reviewed|published)( on)?|posted( on)?|"
    r"this (post|article|page) was last (updated|modified|reviewed)( on)?|aktualisiert( am)?|"
    r"mis à jour( le)?|actualizado( el)?|آخر تحديث|تاريخ النشر)\s*[:：]?\s*(?P<when>.+)$",
    re.I)
# What a date and time may hold besides numbers and names (of months, days, zones).
_STAMP_WORDS = frozenset({"at", "on", "am", "pm", "a.m", "p.m", "um", "à", "le", "el",
                          "de", "del", "h", "uhr", "in",
                          # months that French and Spanish write in small letters
                          "janvier", "mars", "avril", "mai", "juin", "juillet", "septembre",
                          "octobre", "novembre", "enero", "febrero", "marzo", "abril", "mayo",
                          "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
                          "diciembre"})
STAMP_MAX_WORDS = 8
# Longer than any of them: most paragraphs are, and are not searched.
FURNITURE_MAX_CHARS = 100


def furniture(line: str) -> bool:
    """Whether a line is page furniture: `FURNITURE`, or a stamp of when the page was
    published or updated ("Last updated: April 21, 2025"). A stamp's date holds
    numbers, names and a few small words: "Published on the council's website, the plan
    runs to 212 pages" is a sentence."""
    if len(line) > FURNITURE_MAX_CHARS:
        return False
    if FURNITURE.search(line):
        return True
    m = _STAMP.match(line)
    when = m.group("when") if m else ""
    if not any(c.isdigit() for c in when):
        return False
    words = [w.strip(".,") for w in when.split()]
    # (a small word in Latin letters that is neither a name nor a date's is a sentence's)
    return len(words) <= STAMP_MAX_WORDS and all(
        not w.isascii() or not w[:1].isalpha() or w[0].isupper() or w.lower() in _STAMP_WORDS
        for w in words)


# A call to act on something other than the story: subscribe, sign up, follow us, send a
# tip, download the app. Under a story they are the site's, not the writer's
# (`extract/trailing.py`), when they speak to the reader (`ADDRESSED`): "Residents can
# sign up for the scheme" is the story's.
CALL_TO_ACTION = _any(
    r"subscri|sign up|signing up|newsletter|inbox|click here|share (this|it with)|have a tip|"
    r"follow (us|@?\w+) on|follow @|follow .{1,60} on (facebook|twitter|instagram|linkedin|"
    r"youtube|tiktok|x\b)|get the latest|download (our|the) app|tell us what you think|"
    r"listen (live|back)|if you (enjoyed|liked) this|like this (story|article|post)\?",
    r"abonnez-vous|inscrivez-vous|suivez-nous|suscr[íi]bete|s[íi]guenos|inscreva-se|"
    r"assine (a|o|nossa|nosso)|siga-nos|abonnieren|folgen sie uns|iscriviti|seguici",
    r"اشترك|تابعونا|تابعنا على|حمل تطبيق|حمّل تطبيق|النشرة البريدية|سجّ?ل إعجابك",
)
# What a sign-up or share box says back, and the writer's address for readers' mail:
# lines of their own under the story.
REPLY_LINE = _any(
    r"^(thank you|thanks|sorry)\s*[!.]?$",
    r"^(an )?error (has )?occurred\b.{0,60}$|^please try again\b.{0,30}$|"
    r"^there was an error\b.{0,60}$|^this (article|story) has been (sent|shared)\b.{0,40}$",
    r"^(write to|contact|email|e-mail|reach) .{1,60} at \S+@\S+\.\w+\.?$",
)

# Words that speak to the reader: "you", "our", an imperative opening a sentence, or the
# other languages' calls above, which are imperatives.
ADDRESSED = _any(
    r"\b(you|your|yours|our|us|thanks|thank you)\b",
    r"(^|[.!?]\s+)(sign up|subscribe|follow|click|get|download|join|listen|tell|have a tip|"
    r"share|read|watch|don'?t miss)",
    r"abonnez-vous|inscrivez-vous|suivez-nous|suscr[íi]bete|s[íi]guenos|inscreva-se|"
    r"assine|siga-nos|abonnieren|folgen sie uns|iscriviti|seguici",
    r"اشترك|تابعونا|تابعنا|حمل|حمّل|سجّ?ل إعجابك",
)

# The readers' comments under the story: their header, often with their number. The
# same words link to them from under a story's first paragraph ("12 Comments").
COMMENTS_HEADER = re.compile(
    r"^(\d+\s+)?(comments?|responses?|leave a (comment|reply)|add (a )?comment|post a comment|"
    r"(view|show|read|see|load)( ?/ ?post)? (all )?(\d+ )?comments|"
    r"join the (discussion|conversation)|commentaires?|comentarios?|comentários?|kommentare?|"
    r"commenti|комментарии|yorumlar|komentar|التعليقات|تعليقات|تعليق|comentar|commenter|"
    r"แสดงความคิดเห็น|ความคิดเห็น|"
    r"(أضف|اضف|اترك|أكتب|اكتب) (تعليقك|تعليقا|تعليقاً|تعليق|ردا|رداً)|نظرات|评论|コメント|댓글)"
    r"\s*(\(\d+\))?\s*:?$", re.I)

# The site's word that the article is the writer's opinion, not the paper's: a line
# under the story, never inside it, so it ends even a story of one paragraph.
DISCLAIMER = _any(
    r"(المقالة|المقال) (تعبر|يعبر) (فقط )?عن (رأي|وجهة نظر)",
    r"^(?=.{0,200}$)the (views|opinions) expressed (in this \w+ )?are (solely )?(those of )?"
    r"the (author|writer)",
    # and the readers' comments under it are theirs: "الآراء الواردة أدناه لا تعبر عن رأي
    # موقع CNN بالعربية", "El contenido de los comentarios es la opinión de los usuarios"
    r"^(?=.{0,250}$)(الآراء|التعليقات)( \S+){0,4} (لا )?(تعبر|يعبر|تعكس) (بالضرورة )?عن (رأي|وجهة)",
    r"^(?=.{0,250}$)\W*(el contenido de )?los comentarios .{0,30}(es|son) (la )?"
    r"(opinión|responsabilidad) de",
)

# The rules of the comment box under the story: "ترحب شبكة CNN بالنقاش الحيوي… ننصحك
# بمراجعة إرشادات الاستخدام", "Comments are moderated. Please read our community
# guidelines." A few sentences naming the comments and their rules.
COMMENT_POLICY = _any(
    r"(التعليقات|تعليقات|التعليق|النقاش).{0,120}(إرشادات|ارشادات|سياسة|شروط|قواعد)",
    r"\bcomment(s|ing|ers)?\b.{0,80}\b(guidelines|policy|moderated|moderation|rules|terms)\b",
    r"\bcomentarios\b.{0,80}\b(normas|moderador|moderados|política)\b",
)

# The paywall's word that the rest of the article is for subscribers: "この記事は会員限定
# です。電子版に登録すると続きをお読みいただけます。", "This article is for subscribers
# only". What follows it is the site's, never the story. ("Already a subscriber? View
# your reports" can stand inside a story a page shows whole.)
PAYWALL = _any(
    r"\b(this|the rest of this|the full) (article|story|content) is (only )?(available )?(only )?"
    r"(to|for) (subscribers|members|premium)|subscribe (now )?to (continue|keep) reading|"
    r"to (continue|keep) reading,? (please )?(subscribe|log ?in|sign in|register)",
    r"réservée? aux abonnés|exclusivo para (suscriptores|abonados|socios|assinantes)|"
    r"nur für abonnenten|exklusiv für abonnenten|riservato agli abbonati|"
    r"доступ(ен|на|но) только (для )?подписчик",
    r"(المحتوى|المقال|المقالة|هذا الخبر) (متاح|متاحة|حصري|حصرية) (فقط )?للمشتركين",
    r"会員限定|続きをお読みいただけます|有料会員",
)

# The box that asks readers to report a typo: "Нашли ошибку? Выделите текст и нажмите
# Ctrl+Enter", "Iezīmējiet tekstu un spiediet Ctrl+Enter…". Sites put it under the
# story, above their newsletter and sharing boxes; the key's name is the same in every
# language.
ERROR_REPORT = re.compile(r"\bctrl\s*[+-]\s*enter\b", re.I)

# What ends the story and is followed only by the site's matter, wherever it stands.
STORY_CLOSED = _any(PAYWALL.pattern, ERROR_REPORT.pattern)
# A word each of those notices holds: a substring test on them spares most lines the
# pattern's search, which alone cost a millisecond a page over every short paragraph.
_CLOSED_WORDS = ("subscri", "member", "premium", "reading", "abonn", "abonados", "suscrip",
                 "socios", "assinantes", "abbonati", "подписчик", "للمشتركين", "会員", "続き",
                 "ctrl")


def story_closed(line: str) -> bool:
    folded = line.casefold()
    return any(word in folded for word in _CLOSED_WORDS) and bool(STORY_CLOSED.search(line))

ARTICLE_END = _any(
    r"^(كلمات دلالية|الكلمات الدلالية|الوسوم|وسوم|tags|topics|étiquettes|mots[- ]clés|"
    r"schlagwörter|schlagworte|etiquetas|etichette|теги|метки|etiketler|برچسب‌?ها|标签|タグ|"
    r"태그)\s*[:：]",
    DISCLAIMER.pattern,
    COMMENTS_HEADER.pattern,
    # A copyright notice, not a photo credit ("© REUTERS / POOL" under a picture at the
    # top of the story): the notice names a year or reserves rights. A line of its own,
    # opening with the sign: "the Copyright Office's May 2025 report" is a sentence.
    r"جميع الحقوق محفوظة|all rights reserved|tous droits réservés|todos los derechos reservados|"
    r"todos os direitos reservados|alle rechte vorbehalten|tutti i diritti riservati|"
    r"все права защищены|tüm hakları saklıdır|hak cipta dilindungi|"
    r"版权所有|版权声明|版权说明|禁止转载|無断転載|무단 ?전재|재배포 ?금지",
    r"^(?=.{0,160}$)\W{0,5}(©|\(c\)|copyright)\D{0,60}\b(19|20)\d\d\b",
    # A Chinese story's editor, credited on its last line: "（编辑：严玉洁 王辉）",
    # "【责任编辑：严玉洁】"; other stories' headlines follow it.
    r"^[（(【\[]?\s*(责任编辑|責任編輯|编辑|編輯)\s*[:：]",
    # The site's terms under every page: "Registration on or use of this site
    # constitutes acceptance of our User Agreement and Privacy Policy".
    r"use of this (web ?site|site) (constitutes|signifies) (your )?(acceptance|agreement)|"
    r"by using this (web ?site|site),? you (agree|accept|consent)",
)


def ends_article(line: str) -> bool:
    """An `ARTICLE_END` line, or a notice that closes the story (`story_closed`)."""
    return bool(ARTICLE_END.search(line)) or story_closed(line)


# A reader's comment as blog engines and forums head it when no "Comments" header
# stands above the thread: its author's name and "says:" on a line of their own, with
# the comment's date on the next ("Hans says:" / "October 17, 2008 at 11:22 am";
# WordPress's default), or Slashdot's "by Brain-Fu ( 1274756 ) writes:" with the
# user's number. "As Joel writes:" opening a quote in a story has neither.
COMMENT_BY = _any(
    r"^.{1,60}\s(says|dice|disse|dit|sagt|schreibt|scrive|говорит|пишет|yazdı|berkata|"
    r"يقول)\s*[:：]$",
    r"^by .{1,60}\(\s*\d+\s*\)\s*writes\s*:$",
)
# The next line of a "says:" header: its date, or what is left of one ("at").
COMMENT_DATE = re.compile(r"^(at|.{0,40}\b\d{1,2}:\d\d\b.{0,20}|.{0,30}\b(19|20)\d\d\b.{0,20})$",
                          re.I)

# The headers of what sites put under a story and is never its text: the writer's box
# ("About the author" above a biography) and a cookie notice's overview. What follows
# them is prose, so they close the text wherever they stand in its second half
# (`extract/trailing.py`).
CLOSING_HEADER = _any(
    r"^(about (the )?(author|writer|reviewer|contributor)s?|author'?s? (bio|biography|profile)|"
    r"meet the (author|writer)|à propos de l'auteur(e)?|sobre (el|la|o|a) (autor|autora)|"
    r"über (den|die) autor(in)?|informazioni sull'autore|об авторе|yazar hakkında|"
    r"tentang penulis|(نبذة )?عن (الكاتب|الكاتبة|المؤلف|المؤلفة)|درباره نویسنده|关于作者|"
    r"著者について|작성자 소개)\s*[:：.]?$",
    r"^(privacy overview|cookie (settings|preferences)|manage (cookie|consent) preferences|"
    r"we value your privacy)\s*[:.]?$",
)

# "Source: Reuters" closes a wire story, but "Source: Bureau of Labor Statistics" under a
# chart sits inside one: an end only where less of the body follows it than came before,
# or where other end matter comes right after it.
SOURCE_LINE = _any(
    r"^(المصدر|source|fuente|fonte|quelle|источник|kaynak|sumber|منبع|来源|出典|출처)\s*[:：]"
    r"\s*.{1,60}$",
)
