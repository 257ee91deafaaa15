// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The README's C++ quick start, run against the demo stores on a test server.
// The code between the two "README" marker comments is the README's snippet,
// line for line: snippetIsTheReadmes() fails when the two drift apart.

#include <musubicommanderror.h>
#include <musubiconnection.h>
#include <musubidemostores.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <musubitestserver.h>

#include <QtCore/QFile>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

QStringList g_messages;
QtMessageHandler g_previous = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // What the snippet prints itself (qDebug(), qWarning()), not the library's categories.
    if (qstrcmp(context.category, "default") == 0)
        g_messages.append(message);
    if (g_previous)
        g_previous(type, context, message);
}

QString readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(file.readAll());
}

} // namespace

class tst_Readme : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void snippetIsTheReadmes();
    void cppQuickStart();
};

void tst_Readme::init()
{
    g_messages.clear();
    g_previous = qInstallMessageHandler(captureMessage);
}

void tst_Readme::cleanup()
{
    qInstallMessageHandler(g_previous);
    g_previous = nullptr;
}

void tst_Readme::snippetIsTheReadmes()
{
    const QString source = readFile(QStringLiteral(MUSUBI_README_TEST_SOURCE));
    const QString readme = readFile(QStringLiteral(MUSUBI_README));
    QVERIFY(!source.isEmpty());
    QVERIFY(!readme.isEmpty());
    const QString begin = u"// README: C++ quick start\n"_s;
    const QString end = u"    // README: end\n"_s;
    const qsizetype from = source.indexOf(begin);
    const qsizetype to = source.indexOf(end, from);
    QVERIFY(from > 0 && to > from);
    QString snippet = source.mid(from + begin.size(), to - from - begin.size());
    snippet.replace(QRegularExpression(u"^    "_s, QRegularExpression::MultilineOption), QString());
    QVERIFY(snippet.count(u'\n') > 10);
    QVERIFY2(readme.contains(snippet),
             qPrintable(u"README.md does not contain the quick start of tst_readme.cpp:\n"_s
                        + snippet));
}

void tst_Readme::cppQuickStart()
{
    MusubiTestServer server;
    registerDemoStores(&server);
    QVERIFY(server.listen());
    const QUrl url = server.url();

    // README: C++ quick start
    MusubiConnection connection;
    connection.setUrl(url);
    MusubiRoot chat(&connection, u"Demo.ChatStore"_s, u"lobby"_s);

    // Once per accepted envelope, with every store that appeared or changed in it:
    // the first envelope lists the root store [], so this prints the initial title.
    QObject::connect(&chat, &MusubiRoot::storesChanged, [&](const QList<QJsonArray> &ids) {
        if (ids.contains(QJsonArray())) // [] is the root store
            qDebug() << "title:" << chat.store()->value(u"title"_s).toString();
    });
    chat.handleEvent({}, u"message_sent"_s, &chat, [](const QJsonValue &payload) {
        qDebug() << "sent" << payload[u"id"_s].toString();
    });
    // Commands need a live root: this one goes out once, when the initial state is in.
    bool greeted = false;
    QObject::connect(&chat, &MusubiRoot::statusChanged, &chat, [&](MusubiRoot::Status status) {
        if (status != MusubiRoot::Status::Live || greeted)
            return;
        greeted = true;
        chat.dispatch({}, u"send"_s, {{u"author"_s, u"ada"_s}, {u"body"_s, u"hi"_s}})
                .then([](const QJsonValue &reply) { qDebug() << "reply" << reply; })
                .onFailed([](const MusubiCommandError &error) {
                    qWarning() << error.code() << error.message();
                });
    });
    chat.mount(); // opens the connection if needed
    // README: end

    QTRY_VERIFY2(g_messages.contains(u"sent \"msg-3\""_s), qPrintable(g_messages.join(u'\n')));
    // The initial title with the first envelope; the reply before the patch of the command
    // (the message stream of the root store: [] is listed again), then its event.
    QCOMPARE(g_messages,
             QStringList({u"title: \"Lobby\""_s,
                          u"reply QJsonValue(object, QJsonObject({\"id\":\"msg-3\"}))"_s,
                          u"title: \"Lobby\""_s, u"sent \"msg-3\""_s}));
    QCOMPARE(chat.status(), MusubiRoot::Status::Live);
}

QTEST_GUILESS_MAIN(tst_Readme)
#include "tst_readme.moc"
