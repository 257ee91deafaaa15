// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// examples/hello-qml against the demo counter store on a test server: the
// example's own Main.qml, loaded with the initial properties main.cpp sets,
// renders, and its count follows a click on "+1"; the built executable starts,
// imports Musubi and mounts its root.

#include "demotestutil.h"

#include <musubidemostores.h>
#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QProcess>
#include <QtQml/QQmlApplicationEngine>
#include <QtQuick/QQuickItem>
#include <QtQuick/QQuickWindow>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

class tst_HelloQml : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void countFollowsClick();
    void executable();

private:
    static QQuickItem *button(QQuickWindow *window, const QString &text);
    static QStringList labelTexts(QQuickWindow *window);

    std::unique_ptr<MusubiTestServer> m_server;
};

void tst_HelloQml::init()
{
    m_server = std::make_unique<MusubiTestServer>();
    registerDemoStores(m_server.get());
    QVERIFY(m_server->listen());
}

void tst_HelloQml::cleanup()
{
    m_server.reset();
}

void tst_HelloQml::countFollowsClick()
{
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(MUSUBI_QML_BUILD_DIR));
    // What main.cpp does with a URL on the command line.
    engine.setInitialProperties({{u"url"_s, m_server->url().toString()}});
    engine.load(QUrl::fromLocalFile(QStringLiteral(HELLO_QML_DIR "/Main.qml")));
    QCOMPARE(engine.rootObjects().size(), 1);
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    QVERIFY(window);
    QVERIFY(window->width() > 0 && window->height() > 0);
    QVERIFY(QTest::qWaitForWindowExposed(window));

    QTRY_VERIFY2(labelTexts(window).contains(u"0"_s), qPrintable(labelTexts(window).join(u", "_s)));
    QQuickItem *plus = button(window, u"+1"_s);
    QVERIFY(plus);
    QTRY_VERIFY(plus->isEnabled());
    QImage before;
    QTRY_VERIFY(DemoTest::isRendered(before = window->grabWindow()));

    const QPointF center = plus->mapToScene(QPointF(plus->width() / 2, plus->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, center.toPoint());
    QTRY_VERIFY2(labelTexts(window).contains(u"1"_s), qPrintable(labelTexts(window).join(u", "_s)));
    QCOMPARE(m_server->mountedRoot(u"Demo.CounterStore:main"_s)->value(u"count"_s).toInt(), 1);
    QTRY_VERIFY(window->grabWindow() != before);
}

void tst_HelloQml::executable()
{
    // The built program, URL on its command line: it starts, finds its module
    // and `import Musubi`, connects and mounts Demo.CounterStore "main".
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    process.start(QStringLiteral(HELLO_QML_EXECUTABLE), {m_server->url().toString()});
    QVERIFY2(process.waitForStarted(), qPrintable(process.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(m_server->mountedRoot(u"Demo.CounterStore:main"_s) != nullptr
                                     || process.state() == QProcess::NotRunning,
                             30000);
    QCOMPARE(process.state(), QProcess::Running);
    QCOMPARE(m_server->mountedRootCount(), 1);
    process.kill();
    QVERIFY(process.waitForFinished());
}

QQuickItem *tst_HelloQml::button(QQuickWindow *window, const QString &text)
{
    const QList<QQuickItem *> items = window->findChildren<QQuickItem *>();
    for (QQuickItem *item : items) {
        if (item->inherits("QQuickAbstractButton") && item->property("text").toString() == text)
            return item;
    }
    return nullptr;
}

QStringList tst_HelloQml::labelTexts(QQuickWindow *window)
{
    QStringList texts;
    const QList<QQuickItem *> items = window->findChildren<QQuickItem *>();
    for (QQuickItem *item : items) {
        if (item->inherits("QQuickLabel") && item->isVisible())
            texts.append(item->property("text").toString());
    }
    return texts;
}

QTEST_MAIN(tst_HelloQml)
#include "tst_helloqml.moc"
