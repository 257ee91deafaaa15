// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// `musubi-cli --demo`: mounts each demo store on the embedded server and runs
// each of its commands through the JSON Lines interface, both profiles.

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtTest/QTest>

#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

//! One musubi-cli process, driven one request at a time.
class Cli
{
public:
    explicit Cli(const QString &protocol)
    {
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start(QStringLiteral(MUSUBI_CLI), {u"--demo"_s, u"--protocol"_s, protocol});
    }
    ~Cli()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    bool started() { return m_process.waitForStarted(10000); }

    //! Sends \a request with a fresh tag and returns the answer carrying that tag.
    QJsonObject request(QJsonObject request)
    {
        const int tag = ++m_tag;
        request.insert(u"tag"_s, tag);
        m_process.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
        QJsonObject answer;
        waitFor([&](const QJsonObject &line) {
            if (line.value(u"tag"_s).toInt(-1) != tag)
                return false;
            answer = line;
            return true;
        });
        return answer;
    }

    //! Waits until a line (already received or new) satisfies \a match.
    bool waitFor(const std::function<bool(const QJsonObject &)> &match, int ms = 10000)
    {
        qsizetype next = 0;
        return QTest::qWaitFor(
                [&] {
                    readLines();
                    for (; next < m_lines.size(); ++next) {
                        if (match(m_lines.at(next)))
                            return true;
                    }
                    return false;
                },
                ms);
    }

    //! The resolved state of \a root once \a predicate holds for it (empty on timeout).
    QJsonObject stateWhen(const QString &root,
                          const std::function<bool(const QJsonObject &)> &predicate)
    {
        QJsonObject state;
        const bool matched = QTest::qWaitFor(
                [&] {
                    state = request({{u"op"_s, u"snapshot"_s}, {u"root"_s, root}})
                                    .value(u"state"_s)
                                    .toObject();
                    return predicate(state);
                },
                10000);
        return matched ? state : QJsonObject();
    }

    int quit()
    {
        m_process.write(R"({"op":"quit"})"
                        "\n");
        m_process.closeWriteChannel();
        if (!m_process.waitForFinished(10000))
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
    }

    QByteArray stderrText() { return m_process.readAllStandardError(); }

private:
    void readLines()
    {
        while (m_process.canReadLine()) {
            const QByteArray line = m_process.readLine().trimmed();
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            if (doc.isObject())
                m_lines.append(doc.object());
        }
    }

    QProcess m_process;
    QList<QJsonObject> m_lines;
    int m_tag = 0;
};

QJsonObject mountRequest(const QString &module, const QJsonObject &params = {})
{
    return {{u"op"_s, u"mount"_s},
            {u"module"_s, module},
            {u"instance_id"_s, u"cli"_s},
            {u"params"_s, params}};
}

QJsonObject command(const QString &root, const QString &name, const QJsonObject &payload = {},
                    const QJsonArray &storeId = {})
{
    return {{u"op"_s, u"command"_s},
            {u"root"_s, root},
            {u"store_id"_s, storeId},
            {u"name"_s, name},
            {u"payload"_s, payload}};
}

bool ok(const QJsonObject &reply)
{
    return reply.value(u"type"_s) == u"reply"_s && reply.value(u"ok"_s).toBool();
}

} // namespace

class tst_CliDemo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void demoStores_data();
    void demoStores();
};

void tst_CliDemo::demoStores_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::newRow("shared") << u"shared"_s;
    QTest::newRow("per-root") << u"per-root"_s;
}

void tst_CliDemo::demoStores()
{
    QFETCH(QString, protocol);
    Cli cli(protocol);
    QVERIFY(cli.started());

    // Demo.CounterStore: increment, reset.
    const QString counter = u"Demo.CounterStore:cli"_s;
    QCOMPARE(cli.request(mountRequest(u"Demo.CounterStore"_s, {{u"count"_s, 2}}))
                     .value(u"type"_s)
                     .toString(),
             u"mounted"_s);
    QVERIFY(ok(cli.request(command(counter, u"increment"_s, {{u"amount"_s, 3}}))));
    QVERIFY(!cli.stateWhen(counter, [](const QJsonObject &s) {
                    return s[u"count"_s] == 5;
                }).isEmpty());
    QVERIFY(ok(cli.request(command(counter, u"reset"_s))));
    QVERIFY(!cli.stateWhen(counter, [](const QJsonObject &s) {
                    return s[u"count"_s] == 0;
                }).isEmpty());

    // Demo.ChatStore: send (ok with an id, the message_sent event), empty body refused.
    const QString chat = u"Demo.ChatStore:cli"_s;
    QCOMPARE(cli.request(mountRequest(u"Demo.ChatStore"_s)).value(u"type"_s).toString(),
             u"mounted"_s);
    const QJsonObject sent =
            cli.request(command(chat, u"send"_s, {{u"author"_s, u"cli"_s}, {u"body"_s, u"hi"_s}}));
    QVERIFY(ok(sent));
    const QString id = sent.value(u"reply"_s).toObject().value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());
    QVERIFY(cli.waitFor([&](const QJsonObject &line) {
        return line.value(u"type"_s) == u"event"_s && line.value(u"root"_s) == chat
                && line.value(u"name"_s) == u"message_sent"_s
                && line.value(u"payload"_s).toObject().value(u"id"_s) == id;
    }));
    const QJsonObject empty = cli.request(command(chat, u"send"_s, {{u"body"_s, u""_s}}));
    QCOMPARE(empty.value(u"ok"_s).toBool(true), false);
    QCOMPARE(empty.value(u"code"_s).toString(), u"empty_body"_s);
    const QJsonObject chatState = cli.stateWhen(
            chat, [](const QJsonObject &s) { return s[u"messages"_s].toArray().size() == 3; });
    QCOMPARE(chatState.value(u"messages"_s).toArray().last().toObject().value(u"body"_s).toString(),
             u"hi"_s);

    // Demo.TodoStore: add on the root, toggle and remove on a child; stats follow.
    const QString todos = u"Demo.TodoStore:cli"_s;
    QCOMPARE(cli.request(mountRequest(u"Demo.TodoStore"_s)).value(u"type"_s).toString(),
             u"mounted"_s);
    QVERIFY(ok(cli.request(command(todos, u"add"_s, {{u"title"_s, u"from the cli"_s}}))));
    QVERIFY(ok(cli.request(command(todos, u"toggle"_s, {}, {u"todos"_s, u"2"_s}))));
    QVERIFY(ok(cli.request(command(todos, u"remove"_s, {}, {u"todos"_s, u"1"_s}))));
    const QJsonObject todoState = cli.stateWhen(todos, [](const QJsonObject &s) {
        const QJsonObject stats = s[u"stats"_s].toObject();
        return s[u"todos"_s].toArray().size() == 3 && stats.value(u"status"_s) == u"ok"_s
                && stats.value(u"data"_s).toObject().value(u"total"_s) == 3;
    });
    QVERIFY2(!todoState.isEmpty(), "todos/stats never settled");
    const QJsonObject counts = todoState.value(u"stats"_s).toObject().value(u"data"_s).toObject();
    QCOMPARE(counts.value(u"done"_s).toInt(), 1);
    QCOMPARE(counts.value(u"open"_s).toInt(), 2);

    // Demo.ProfileStore: save.
    const QString profile = u"Demo.ProfileStore:cli"_s;
    QCOMPARE(cli.request(mountRequest(u"Demo.ProfileStore"_s)).value(u"type"_s).toString(),
             u"mounted"_s);
    const QJsonObject saved =
            cli.request(command(profile, u"save"_s, {{u"name"_s, u"Grace"_s}, {u"bio"_s, u"b"_s}}));
    QVERIFY(ok(saved));
    QCOMPARE(saved.value(u"reply"_s).toObject().value(u"saved"_s).toBool(), true);
    QVERIFY(!cli.stateWhen(profile, [](const QJsonObject &s) {
                    return s[u"name"_s] == u"Grace"_s;
                }).isEmpty());

    QCOMPARE(cli.quit(), 0);
}

QTEST_GUILESS_MAIN(tst_CliDemo)
#include "tst_clidemo.moc"
