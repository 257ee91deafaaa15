// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// tests/codegen/manifest-odd (write-odd-manifest.exs): shapes that are hard on the
// generator. That this compiles is most of the test; the rest checks a few names.
#include <oddstores.h>

#include <QtTest/QtTest>

using namespace Qt::StringLiterals;

class tst_OddStores : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void names()
    {
        // An enum named like its class, keyword and macro fields, a nested module.
        QCOMPARE(QMetaEnum::fromType<Odd::Status::Status2>().keyCount(), 2);
        QVERIFY(Odd::Status::staticMetaObject.indexOfProperty("class_") >= 0);
        QVERIFY(Odd::Status::staticMetaObject.indexOfProperty("assert_") >= 0);
        QVERIFY(Odd::Status::staticMetaObject.indexOfProperty("errno_") >= 0);
        QVERIFY(Odd::Status::staticMetaObject.indexOfProperty("store_") >= 0);
        QVERIFY(Odd::Status::staticMetaObject.indexOfSignal("name(Odd::StatusNamePayload)") >= 0);
        QCOMPARE(QString::fromLatin1(Odd::Cart_::Item::staticMetaObject.className()),
                 u"Odd::Cart_::Item"_s);
        // A value type that holds itself reads its recursive members untyped.
        Odd::Tree tree;
        QVERIFY(Odd::musubiFromJson(QJsonObject{{u"label"_s, u"root"_s},
                                                {u"children"_s, QJsonArray{QJsonObject{}}},
                                                {u"next"_s, QJsonValue::Null}},
                                    &tree));
        QCOMPARE(tree.label, u"root"_s);
        QCOMPARE(tree.children_.toArray().size(), 1);
        // Optional lists, left out of params when empty.
        Odd::StatusParams params;
        QVERIFY(params.toVariantMap().isEmpty());
        params.ids = QList<qint64>{1, 2};
        QCOMPARE(params.toVariantMap().value(u"ids"_s).toList().size(), 2);
    }
};

QTEST_GUILESS_MAIN(tst_OddStores)
#include "oddstores.moc"
